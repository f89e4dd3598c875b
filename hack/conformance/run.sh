#!/usr/bin/env bash
# Conformance suite: two client libraries not written here (discord.js on Node, disnake on Python) drive
# hack/discord-sim through their public configuration. One line per library x step; the last line is
# "conformance: N passed, M failed". Exits non-zero on any failure.
#
# Env: CONFORMANCE_CACHE (default ~/.cache/chopsticks/conformance) holds the pinned packages, keyed by the hash of
# package-lock.json / requirements.txt; STEP_TIMEOUT_MS (default 20000) bounds every step.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${CONFORMANCE_CACHE:-$HOME/.cache/chopsticks/conformance}
jar=$root/hack/discord-sim/target/discord-sim.jar
token=conformance-token
log_dir=$(mktemp -d)
sim_pid=

cleanup() {
  if [[ -n $sim_pid ]]; then
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$log_dir"
}
trap cleanup EXIT

hash_of() { sha256sum "$1" | cut -c1-16; }

# --- pinned packages, installed once per lockfile ---------------------------------------------------------------
js_dir=$cache/js-$(hash_of "$here/js/package-lock.json")
if [[ ! -f $js_dir/.installed ]]; then
  echo "conformance: installing discord.js (npm ci) into $js_dir" >&2
  rm -rf "$js_dir" && mkdir -p "$js_dir"
  cp "$here/js/package.json" "$here/js/package-lock.json" "$js_dir/"
  (cd "$js_dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$js_dir/.installed"
fi

py_dir=$cache/py-$(hash_of "$here/py/requirements.txt")
if [[ ! -f $py_dir/.installed ]]; then
  echo "conformance: installing disnake (pip) into $py_dir" >&2
  rm -rf "$py_dir"
  python3 -m venv "$py_dir"
  "$py_dir/bin/pip" install --quiet --disable-pip-version-check -r "$here/py/requirements.txt" >&2
  touch "$py_dir/.installed"
fi

# --- the simulator --------------------------------------------------------------------------------------------
JAVA_HOME=$("$root/hack/java-home.sh")
export JAVA_HOME
export PATH=$JAVA_HOME/bin:$PATH
if [[ ! -f $jar ]]; then
  echo "conformance: building $jar" >&2
  (cd "$root" && mvn -B -ntp -q -pl hack/discord-sim package -DskipTests >&2)
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sim_url=http://127.0.0.1:$port
# Two identify buckets so both shards identify at once; only GUILD_MEMBERS approved, so a GUILD_PRESENCES
# identify is refused with 4014; a short heartbeat interval so heartbeats run during the suite.
java -jar "$jar" --host 127.0.0.1 --port "$port" --token "$token" --guilds 8 --max-concurrency 2 \
  --identify-window-ms 1000 --heartbeat-interval-ms 5000 --privileged-intents members \
  >"$log_dir/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 150); do
  if curl -sf "$sim_url/_sim/world" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$sim_pid" 2>/dev/null; then
    cat "$log_dir/sim.log" >&2
    echo "conformance: 0 passed, 1 failed"
    exit 1
  fi
  sleep 0.2 # polling a starting process: the simulator offers nothing to wait on before it listens
done

# --- the clients ----------------------------------------------------------------------------------------------
export SIM_URL=$sim_url SIM_TOKEN=$token
NODE_PATH=$js_dir/node_modules timeout 300 node "$here/js/conformance.js" 2>"$log_dir/js.err" | tee "$log_dir/results" || true
timeout 300 "$py_dir/bin/python" "$here/py/conformance.py" 2>"$log_dir/py.err" | tee -a "$log_dir/results" || true

passed=$(grep -c '^PASS ' "$log_dir/results" || true)
failed=$(grep -c '^FAIL ' "$log_dir/results" || true)
expected=18 # 2 libraries x 9 steps: a client that died early must not look like a pass
if ((passed + failed < expected)); then
  failed=$((expected - passed))
fi
if ((failed > 0)); then
  for f in js.err py.err sim.log; do
    echo "--- $f (last lines)" >&2
    tail -n 20 "$log_dir/$f" >&2 || true
  done
fi
echo "conformance: $passed passed, $failed failed"
((failed == 0))
