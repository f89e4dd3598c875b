#!/usr/bin/env bash
# hack/slash.sh - sends a slash command through the Discord simulator of hack/up.sh's deployment and prints the
# bot's reply: a Discord user in a guild of shard 0 runs /COMMAND, the simulator delivers the INTERACTION_CREATE
# on that shard's gateway session, the bot answers over the interaction callback route.
#
#   hack/slash.sh [COMMAND] [--shard N] [--timeout-ms MS]      COMMAND defaults to ping
#
# Reaches the simulator with `kubectl port-forward svc/discord-sim` (stopped on exit). Exit status 0 only when the
# bot's reply arrived. Uses hack/up.sh's KUBECONFIG unless KUBECONFIG is set.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

COMMAND=ping SHARD=0 TIMEOUT_MS=10000 NS="${DEMO_NAMESPACE:-chopsticks-demo}"
while (($#)); do
  case "$1" in
    --shard) SHARD="$2"; shift ;;
    --timeout-ms) TIMEOUT_MS="$2"; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) COMMAND="${1#/}" ;;
  esac
  shift
done
STATE="${CHOPSTICKS_UP_DIR:-$(chopsticks_cache_dir)/up}"
if [[ -z "${KUBECONFIG:-}" ]]; then
  [[ -f "${STATE}/kubeconfig-path" ]] || die "no KUBECONFIG and no hack/up.sh deployment (${STATE})"
  KUBECONFIG="$(cat "${STATE}/kubeconfig-path")"
  export KUBECONFIG
fi
KUBECTL="$(chopsticks_tools_dir)/bin/kubectl"
[[ -x "${KUBECTL}" ]] || KUBECTL="$(command -v kubectl)"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PF_LOG="$(mktemp)"
"${KUBECTL}" -n "${NS}" port-forward --address 127.0.0.1 svc/discord-sim "${PORT}:8090" >"${PF_LOG}" 2>&1 &
PF_PID=$!
trap 'kill "${PF_PID}" 2>/dev/null || true; wait "${PF_PID}" 2>/dev/null || true; rm -f "${PF_LOG}"' EXIT
SIM="http://127.0.0.1:${PORT}/_sim"
wait_for "kubectl port-forward svc/discord-sim" 20 0.2 curl -sf "${SIM}/world" || { cat "${PF_LOG}" >&2; exit 1; }

# The simulator routes a guild by Discord's rule, (guild_id >> 22) % shard_count: ask it for a guild of SHARD under
# the shard count the cluster runs.
SHARDS="$("${KUBECTL}" -n "${NS}" get chopsticksclusters.chopsticks.dev -o jsonpath='{.items[0].status.shards}')"
[[ "${SHARDS}" =~ ^[1-9][0-9]*$ ]] || die "no ChopsticksCluster with a shard count in namespace ${NS}"
((SHARD < SHARDS)) || die "--shard ${SHARD}: the cluster runs shards 0..$((SHARDS - 1))"
GUILD="$(curl -sf "${SIM}/shards/${SHARD}/guilds?count=${SHARDS}" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0])')"
echo "> /${COMMAND} in guild ${GUILD} (shard ${SHARD})"
ID="$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d "{\"name\":\"${COMMAND}\",\"guildId\":${GUILD}}" \
  "${SIM}/interactions" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')"
curl -sf "${SIM}/interactions/${ID}?timeout_ms=${TIMEOUT_MS}" | python3 -c '
import json, sys
o = json.load(sys.stdin)
replies = o.get("replies") or []
for r in replies:
    data = (r.get("payload") or {}).get("data") or r.get("payload") or {}
    text = data.get("content") or " | ".join(e.get("title", "") + " " + e.get("description", "") for e in data.get("embeds", []))
    print("< %s after %s: %s" % (r.get("kind"), r.get("at"), (text or "").strip() or json.dumps(data)))
if o.get("finalResponse") is None:
    print("no complete reply within the timeout: %s" % json.dumps(o), file=sys.stderr)
    sys.exit(1)
'
