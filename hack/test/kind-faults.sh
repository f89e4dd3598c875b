#!/usr/bin/env bash
# hack/test/kind-faults.sh - fault scenarios against a running hack/up.sh deployment on kind, under slash-command
# traffic through the simulator (hack/test/sim_traffic.py). Sourced by hack/test/kind-quickstart-test.sh, which
# provides kc (kubectl -n chopsticks-demo), TMP, HACK_DIR and KUBECONFIG. Each scenario prints one "figures:" line
# (sent/answered/failed interactions, recovery time, ...) and returns non-zero when its claim does not hold:
#   fault_redis_delete      the managed Redis pod deleted under load: no failed interaction (the bots degrade to
#                           PostgreSQL), Redis back with its AOF data
#   fault_pgbouncer_delete  one PgBouncer pod deleted under load: the other replica carries it, no failed
#                           interaction, PostgreSQL server connections within the pool budget (pg_stat_activity)
#   fault_failed_migration  a bot image whose migration fails: the rollout is held, Degraded names the Job, the old
#                           shards keep serving and are not restarted; the good image clears it
# The rollout of the sample's real bots is a portable Java scenario (hack/kind-e2e.sh, SampleRolloutE2E): the same
# claims on kind and on the simulated cluster.
# shellcheck shell=bash

FAULT_RATE="${FAULT_RATE:-4}"
FAULT_DURATION="${FAULT_DURATION:-45}"

# Port-forward to the simulator for the traffic driver; SIM_URL is set while it runs.
sim_forward_start() {
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${KUBECTL}" -n "${NS}" port-forward --address 127.0.0.1 svc/discord-sim "${port}:8090" >"${TMP}/sim-forward.log" 2>&1 &
  SIM_FORWARD_PID=$!
  SIM_URL="http://127.0.0.1:${port}"
  wait_for "port-forward to the simulator" 20 0.2 curl -sf "${SIM_URL}/_sim/world"
}
sim_forward_stop() {
  [[ -z "${SIM_FORWARD_PID:-}" ]] || kill "${SIM_FORWARD_PID}" 2>/dev/null || true
  SIM_FORWARD_PID=""
}

# traffic_start NAME COMMANDS: interactions in the background; traffic_result NAME waits and prints its JSON.
traffic_start() {
  python3 "${HACK_DIR}/test/sim_traffic.py" --sim "${SIM_URL}" --duration "${FAULT_DURATION}" --rate "${FAULT_RATE}" \
    --commands "$2" --shards 8 >"${TMP}/traffic-$1.json" 2>"${TMP}/traffic-$1.err" &
  echo $! >"${TMP}/traffic-$1.pid"
}
traffic_result() {
  wait "$(cat "${TMP}/traffic-$1.pid")" || true
  cat "${TMP}/traffic-$1.json"
}
# json_field FILE KEY
json_field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
traffic_clean() {
  local f="${TMP}/traffic-$1.json"
  [[ -s "${f}" ]] || { echo "no traffic result: $(cat "${TMP}/traffic-$1.err")"; return 1; }
  local sent answered failed
  sent="$(json_field "${f}" sent)"
  answered="$(json_field "${f}" answered)"
  failed="$(json_field "${f}" failed)"
  ((sent > 0 && failed == 0 && answered == sent)) || { echo "interactions failed: $(json_field "${f}" failures)"; return 1; }
  (($(json_field "${f}" shard_offline) == 0 && $(json_field "${f}" send_errors) == 0)) \
    || { echo "interactions not delivered: $(json_field "${f}" shard_offline) to an offline shard; $(json_field "${f}" send_failures)"; return 1; }
}
pod_uid() { kc get pod "$1" -o jsonpath='{.metadata.uid}' 2>/dev/null; }
pod_replaced() { local uid; uid="$(pod_uid "$1")" && [[ -n "${uid}" && "${uid}" != "$2" ]]; }
pod_gone() { [[ -z "$(kc get pod "$1" -o name 2>/dev/null)" ]]; }
pgbouncer_ready() { [[ "$(kc get deploy chopsticks-pgbouncer -o jsonpath='{.status.readyReplicas}')" == 2 ]] && pod_gone "$1"; }
degraded() { [[ "$(kc get ccl chopsticks -o jsonpath="{.status.conditions[?(@.type==\"Degraded\")].$1}")" == "$2" ]]; }
marker_in_aof() { kc exec chopsticks-redis-0 -c redis -- grep -rqs "$1" /data; }
# seconds_until_ready POD OLD_UID: waits for a new pod of that name to be Ready; prints the seconds it took.
seconds_until_ready() {
  local t0
  t0="$(now_s)"
  wait_for "$1 replaced" 180 0.5 pod_replaced "$1" "$2" || return 1
  kc wait --for=condition=Ready "pod/$1" --timeout=180s >/dev/null || return 1
  elapsed "${t0}"
}

# shellcheck disable=SC2016 # the $(cat ...) runs in the Redis pod: the password never leaves it
redis_cli() { kc exec chopsticks-redis-0 -c redis -- sh -c 'REDISCLI_AUTH="$(cat /etc/redis-auth/password)" redis-cli --no-auth-warning "$@"' redis-cli "$@"; }

fault_redis_delete() {
  local marker uid recovery
  marker="aof-$(date +%s%N)"
  redis_cli SET chopsticks:e2e:marker "${marker}" >/dev/null
  # appendfsync everysec: the marker is durable once it is in the AOF on the volume.
  wait_for "the marker in the AOF" 10 0.2 marker_in_aof "${marker}" || { echo "marker not in the AOF"; return 1; }
  sim_forward_start || return 1
  traffic_start redis ping,balance,stats
  sleep 10 # the scenario's timeline: traffic is flowing before the fault
  uid="$(pod_uid chopsticks-redis-0)"
  kc delete pod chopsticks-redis-0 --wait=false >/dev/null
  recovery="$(seconds_until_ready chopsticks-redis-0 "${uid}")" || { echo "Redis not back"; sim_forward_stop; return 1; }
  traffic_result redis
  sim_forward_stop
  local got
  got="$(redis_cli GET chopsticks:e2e:marker | tail -1)"
  echo "figures: redis-delete sent=$(json_field "${TMP}/traffic-redis.json" sent) answered=$(json_field "${TMP}/traffic-redis.json" answered) failed=$(json_field "${TMP}/traffic-redis.json" failed) p99_ms=$(json_field "${TMP}/traffic-redis.json" p99_ms) redis_ready_again_s=${recovery} aof_marker=$([[ "${got}" == "${marker}" ]] && echo kept || echo LOST)"
  traffic_clean redis || return 1
  [[ "${got}" == "${marker}" ]] || { echo "AOF marker lost: got '${got}'"; return 1; }
}

# Server connections of the bot's user as PostgreSQL sees them, sampled every second into FILE until STOPFILE.
sample_server_connections() {
  local out="$1" stop="$2" user="$3"
  while [[ ! -f "${stop}" ]]; do
    kc exec deploy/postgres -- psql -h /var/run/postgresql -U "${user}" -d chopsticks -Atc \
      "select count(*) from pg_stat_activity where usename = '${user}' and pid <> pg_backend_pid()" >>"${out}" 2>/dev/null || true
    sleep 1 # sampling period
  done
}

fault_pgbouncer_delete() {
  local user pod uid t0 recovery budget peak
  user="$(kc get secret chopsticks-db -o jsonpath='{.data.user}' | base64 -d)"
  budget=$(($(kc get ccl chopsticks -o jsonpath='{.spec.pgbouncer.replicas}') * $(kc get ccl chopsticks -o jsonpath='{.spec.pgbouncer.defaultPoolSize}')))
  : >"${TMP}/pg-conns"
  rm -f "${TMP}/pg-conns.stop"
  sample_server_connections "${TMP}/pg-conns" "${TMP}/pg-conns.stop" "${user}" &
  local sampler=$!
  sim_forward_start || return 1
  traffic_start pgbouncer balance,daily,stats,ping
  sleep 10 # the scenario's timeline: traffic is flowing before the fault
  pod="$(kc get pods -l app.kubernetes.io/component=pgbouncer -o jsonpath='{.items[0].metadata.name}')"
  uid="$(pod_uid "${pod}")"
  t0="$(now_s)"
  kc delete pod "${pod}" --wait=false >/dev/null
  wait_for "PgBouncer back to 2 ready replicas" 180 0.5 pgbouncer_ready "${pod}" || echo "PgBouncer not back"
  recovery="$(elapsed "${t0}")"
  traffic_result pgbouncer
  sim_forward_stop
  touch "${TMP}/pg-conns.stop"
  wait "${sampler}" || true
  peak="$(sort -n "${TMP}/pg-conns" | tail -1)"
  echo "figures: pgbouncer-delete sent=$(json_field "${TMP}/traffic-pgbouncer.json" sent) answered=$(json_field "${TMP}/traffic-pgbouncer.json" answered) failed=$(json_field "${TMP}/traffic-pgbouncer.json" failed) p99_ms=$(json_field "${TMP}/traffic-pgbouncer.json" p99_ms) replicas_ready_again_s=${recovery} peak_server_connections=${peak:-none} samples=$(wc -l <"${TMP}/pg-conns") budget=${budget} (uid ${uid})"
  traffic_clean pgbouncer || return 1
  if [[ -z "${peak}" ]] || ((peak > budget)); then
    echo "server connections ${peak:-unsampled} above the pool budget ${budget}"
    return 1
  fi
}

fault_failed_migration() {
  local good broken ctx t0 job restarts_before restarts_after msg
  good="$(kc get ccl chopsticks -o jsonpath='{.spec.bot.image}')"
  broken="${good%:*}:$(basename "${good##*:}")-broken-migration"
  # The real bot image plus a jar with one migration that cannot apply, on the image's classpath: Flyway itself
  # fails and `migrate` exits non-zero.
  ctx="${TMP}/broken-image"
  mkdir -p "${ctx}"
  python3 - "${ctx}/e2e-broken-migration.jar" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    # Directory entries too: Flyway finds locations with ClassLoader.getResources("db/migration"), which sees a jar
    # only through its directory entry.
    z.writestr("db/", "")
    z.writestr("db/migration/", "")
    z.writestr("db/migration/V9999__e2e_broken.sql", "SELECT no_such_column FROM chopsticks_e2e_missing_table;\n")
PY
  cat >"${ctx}/Dockerfile" <<EOF
FROM ${good}
USER 0
COPY e2e-broken-migration.jar /app/libs/
RUN sed -i '1s|\$|:/app/libs/e2e-broken-migration.jar|' /app/jib-classpath-file
USER 65532:65532
EOF
  DOCKER_BUILDKIT=0 docker build -q -t "${broken}" "${ctx}" >/dev/null 2>"${ctx}/build.err" || { cat "${ctx}/build.err"; return 1; }
  "${KIND_BIN_DIR}/kind" load docker-image --name "${KIND_CLUSTER_NAME}" "${broken}" >/dev/null || return 1
  restarts_before="$(kc get shards.chopsticks.dev -o jsonpath='{range .items[*]}{.status.restarts}{","}{end}')"
  sim_forward_start || return 1
  traffic_start migration ping,balance
  t0="$(now_s)"
  kc patch ccl chopsticks --type merge -p "{\"spec\":{\"bot\":{\"image\":\"${broken}\"}}}" >/dev/null
  wait_for "Degraded=True MigrationFailed" 240 1 degraded reason MigrationFailed || { echo "no Degraded=MigrationFailed"; kc get ccl chopsticks -o yaml | sed -n '/^status:/,$p'; sim_forward_stop; return 1; }
  local degraded_after
  degraded_after="$(elapsed "${t0}")"
  msg="$(kc get ccl chopsticks -o jsonpath='{.status.conditions[?(@.type=="Degraded")].message}')"
  job="$(kc get jobs -l app.kubernetes.io/component=migrations -o json | python3 -c '
import json, sys
jobs = [j for j in json.load(sys.stdin)["items"] if (j["status"].get("failed") or 0) > 0]
print(jobs[0]["metadata"]["name"] if jobs else "")')"
  traffic_result migration
  sim_forward_stop
  local shard_image
  shard_image="$(kc get statefulset chopsticks-shards -o jsonpath='{.spec.template.spec.containers[0].image}')"
  restarts_after="$(kc get shards.chopsticks.dev -o jsonpath='{range .items[*]}{.status.restarts}{","}{end}')"
  echo "figures: failed-migration degraded_after_s=${degraded_after} job=${job} sent=$(json_field "${TMP}/traffic-migration.json" sent) answered=$(json_field "${TMP}/traffic-migration.json" answered) failed=$(json_field "${TMP}/traffic-migration.json" failed) shard_image=${shard_image}"
  echo "Degraded: ${msg}"
  local ok=0
  [[ -n "${job}" && "${msg}" == *"${job}"* ]] || { echo "the condition does not name the failed Job '${job}'"; ok=1; }
  kc logs "job/${job}" 2>/dev/null | grep -q "V9999\|e2e_broken\|chopsticks_e2e_missing_table" \
    || { echo "the Job's log shows no Flyway failure"; ok=1; }
  [[ "${shard_image}" == "${good}" ]] || { echo "the shards were rolled to ${shard_image}"; ok=1; }
  [[ "${restarts_before}" == "${restarts_after}" ]] || { echo "shard restarts changed: ${restarts_before} -> ${restarts_after}"; ok=1; }
  traffic_clean migration || ok=1
  # Back to the good image: the held rollout is released, Degraded clears.
  kc patch ccl chopsticks --type merge -p "{\"spec\":{\"bot\":{\"image\":\"${good}\"}}}" >/dev/null
  wait_for "Degraded=False again" 120 1 degraded status False || { echo "Degraded did not clear after the good image came back"; ok=1; }
  return "${ok}"
}
