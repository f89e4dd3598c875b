#!/usr/bin/env bash
# hack/test/kind-quickstart-test.sh - the quick start as a new user meets it, on kind: hack/up.sh builds (or reuses)
# the kind node and every image, creates the cluster, installs the chart and the sample; then
#   - 8 Shards Ready, their guilds summing to 16,000, each with a gateway ping;
#   - hack/slash.sh ping gets the bot's reply through the simulator;
#   - the migrations Job really ran (its pod exited 0 and logged the migration), the shard pods run the bot;
#   - settings from the ChopsticksCluster are in force in the running servers: CONFIG GET maxmemory in the managed
#     Redis, SHOW CONFIG in each PgBouncer pod;
#   - hack/down.sh leaves no kind container, cluster, docker network it made, or process.
# Then the fault scenarios of hack/test/kind-faults.sh on the same deployment (KIND_FAULTS=false skips them).
# A private state dir and cluster name, so a developer's own `hack/up.sh` is not touched. Prints the up.sh time and
# "kind-quickstart: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/kind/lib.sh
source "${HACK_DIR}/kind/lib.sh"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/kind-quickstart.XXXXXX")"
export CHOPSTICKS_UP_DIR="${TMP}/up" UP_MODE=kind KIND_CLUSTER_NAME="${KIND_QUICKSTART_CLUSTER:-chopsticks-qs}"
NS=chopsticks-demo
KUBECTL="$(chopsticks_tools_dir)/bin/kubectl"
ARTIFACTS="${ROOT}/target/kind-quickstart"
mkdir -p "${ARTIFACTS}"

passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS ${name}"; else failed=$((failed + 1)); echo "FAIL ${name}"; fi
}
finish() {
  local rc=$?
  [[ ! -d "${CHOPSTICKS_UP_DIR}" ]] || "${HACK_DIR}/down.sh" >/dev/null 2>&1 || true
  rm -rf "${TMP}"
  if ((rc != 0 && failed == 0)); then failed=$((failed + 1)); fi
  echo "kind-quickstart: ${passed} passed, ${failed} failed"
  if ((failed > 0)); then exit 1; fi
  exit "${rc}"
}
trap finish EXIT
kc() { "${KUBECTL}" -n "${NS}" "$@"; }

# On failure: what a user would look at, kept under target/.
keep_evidence() {
  kc get pods,shards,jobs -o wide >"${ARTIFACTS}/resources.txt" 2>&1 || true
  kc get events --sort-by=.lastTimestamp >"${ARTIFACTS}/events.txt" 2>&1 || true
  "${KUBECTL}" -n chopsticks-system logs deploy/chopsticks-operator --tail=300 >"${ARTIFACTS}/operator.log" 2>&1 || true
  local p
  : >"${ARTIFACTS}/shards.log"
  for p in $(kc get pods -l app.kubernetes.io/component=shard -o name 2>/dev/null); do
    { echo "== ${p} (previous container)"; kc logs "${p}" --previous --tail=40 || true
      echo "== ${p}"; kc logs "${p}" --tail=40 || true; } >>"${ARTIFACTS}/shards.log" 2>&1
  done
  echo "evidence in ${ARTIFACTS}"
}

up() {
  local t0
  t0="$(now_s)"
  if ! "${HACK_DIR}/up.sh" >"${TMP}/up.out" 2>"${ARTIFACTS}/up.err"; then
    tail -40 "${ARTIFACTS}/up.err"
    [[ ! -f "${CHOPSTICKS_UP_DIR}/kubeconfig-path" ]] || { KUBECONFIG="$(cat "${CHOPSTICKS_UP_DIR}/kubeconfig-path")" keep_evidence; }
    return 1
  fi
  echo "kind-quickstart: hack/up.sh took $(elapsed "${t0}")s"
  cat "${TMP}/up.out"
  KUBECONFIG="$(cat "${CHOPSTICKS_UP_DIR}/kubeconfig-path")"
  export KUBECONFIG
}
check "hack/up.sh: kind cluster, chart, sample up" up
[[ -n "${KUBECONFIG:-}" ]] || exit 1

shards_ready() {
  kc get shards.chopsticks.dev -o json | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
st = [i.get("status", {}) for i in items]
ready = [s for s in st if s.get("phase") == "Ready"]
guilds = sum(s.get("guilds", 0) for s in ready)
pings = [s for s in ready if s.get("gatewayPingMs") is not None]
print("shards %d, Ready %d, guilds %d, with ping %d" % (len(items), len(ready), guilds, len(pings)))
sys.exit(0 if len(items) == 8 and len(ready) == 8 and guilds == 16000 and len(pings) == 8 else 1)
'
}
check "8 Shards Ready, guilds sum to 16,000, each with a ping" shards_ready

slash() {
  "${HACK_DIR}/slash.sh" ping >"${TMP}/slash.out" 2>&1 || { cat "${TMP}/slash.out"; return 1; }
  cat "${TMP}/slash.out"
  grep -q '^< ' "${TMP}/slash.out"
}
check "hack/slash.sh ping: the bot's reply through the simulator" slash

migrations_ran() {
  local job pod
  job="$(kc get jobs -l app.kubernetes.io/component=migrations -o jsonpath='{.items[0].metadata.name}')"
  [[ -n "${job}" ]] || { echo "no migrations Job"; return 1; }
  [[ "$(kc get job "${job}" -o jsonpath='{.status.succeeded}')" == 1 ]] || { echo "Job ${job} not succeeded"; return 1; }
  pod="$(kc get pods -l "job-name=${job}" -o jsonpath='{.items[0].metadata.name}')"
  # A container that really ran: exit code 0 recorded by the kubelet, and the bot's own log lines.
  [[ "$(kc get pod "${pod}" -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}')" == 0 ]] \
    || { echo "pod ${pod} has no exit code 0"; return 1; }
  kc logs "${pod}" >"${TMP}/migrate.log"
  grep -q 'migrations applied: ' "${TMP}/migrate.log" || { echo "the Job's log shows no Flyway run:"; tail -20 "${TMP}/migrate.log"; return 1; }
  # And what it did is in the database: Flyway's history holds the project's migrations, all successful.
  local applied
  applied="$(kc exec deploy/postgres -- psql -h /var/run/postgresql -U "$(kc get secret chopsticks-db -o jsonpath='{.data.user}' | base64 -d)" \
    -d chopsticks -Atc "select count(*) filter (where success) || '/' || count(*) from flyway_schema_history")"
  local expected
  expected="$(find "${ROOT}/bot-runtime/src/main/resources/db/migration" -name 'V*.sql' | wc -l)"
  echo "Job ${job}: pod ${pod} exited 0, logged: $(grep -o 'migrations applied: [0-9]*' "${TMP}/migrate.log"); flyway_schema_history successful/all: ${applied} (the repo has ${expected})"
  [[ "${applied}" == "${expected}/${expected}" ]]
}
check "the migrations Job ran migrate for real (exit 0, its log)" migrations_ran

redis_config() {
  local got
  # shellcheck disable=SC2016 # expanded in the pod: the password never leaves it
  got="$(kc exec chopsticks-redis-0 -c redis -- sh -c \
    'REDISCLI_AUTH="$(cat /etc/redis-auth/password)" redis-cli --no-auth-warning CONFIG GET maxmemory' | tail -1)"
  echo "managed Redis maxmemory: ${got} (spec.redis.maxMemory 256mb = 268435456)"
  [[ "${got}" == 268435456 ]]
}
check "managed Redis runs with spec.redis.maxMemory (CONFIG GET maxmemory)" redis_config

pgbouncer_config() {
  local user pass pods pod got n=0
  user="$(kc get secret chopsticks-db -o jsonpath='{.data.user}' | base64 -d)"
  pass="$(kc get secret chopsticks-db -o jsonpath='{.data.password}' | base64 -d)"
  pods="$(kc get pods -l app.kubernetes.io/component=pgbouncer -o jsonpath='{.items[*].metadata.name}')"
  for pod in ${pods}; do
    got="$(kc exec "${pod}" -- env PGPASSWORD="${pass}" psql -h 127.0.0.1 -U "${user}" -d pgbouncer -Atc 'SHOW CONFIG' \
      | awk -F'|' '$1 == "default_pool_size" || $1 == "max_db_connections" { printf "%s=%s ", $1, $2 }')"
    echo "${pod}: ${got}"
    [[ "${got}" == "default_pool_size=20 max_db_connections=20 " ]] || return 1
    n=$((n + 1))
  done
  ((n == 2))
}
check "both PgBouncer pods run with spec.pgbouncer.defaultPoolSize (SHOW CONFIG)" pgbouncer_config

# The portable Java scenario, as on the simulated cluster; its log in the artifacts, its figures here.
kind_e2e_rollout() {
  local log="${ARTIFACTS}/kind-e2e.log" rc=0
  "${HACK_DIR}/kind-e2e.sh" -Dit.test=SampleRolloutE2E >"${log}" 2>&1 || rc=$?
  grep -h "figure" "${log}" || true
  ((rc == 0)) || tail -40 "${log}"
  return "${rc}"
}

# shellcheck source=hack/test/kind-faults.sh
source "${HACK_DIR}/test/kind-faults.sh"
if [[ "${KIND_FAULTS:-true}" == true ]]; then
  check "fault: the managed Redis pod deleted under load (no failed interaction, AOF data back)" fault_redis_delete
  check "fault: a PgBouncer pod deleted under load (no failed interaction, server connections in budget)" fault_pgbouncer_delete
  check "fault: a failing migration holds the rollout (Degraded names the Job, old shards serve)" fault_failed_migration
  check "rollout: 8 real bots rolled on the operator's PgBouncer and Redis, identify-paced (hack/kind-e2e.sh)" \
    kind_e2e_rollout
fi

((failed == 0)) || keep_evidence

down() {
  local cluster="${KIND_CLUSTER_NAME}" left
  "${HACK_DIR}/down.sh" >/dev/null 2>"${TMP}/down.err" || { cat "${TMP}/down.err"; return 1; }
  [[ ! -d "${CHOPSTICKS_UP_DIR}" ]] || { echo "state dir left"; return 1; }
  if docker info >/dev/null 2>&1; then
    left="$(docker ps -a --filter "label=io.x-k8s.kind.cluster=${cluster}" -q)"
    [[ -z "${left}" ]] || { echo "kind containers left: ${left}"; return 1; }
  fi
  ! "${KIND_BIN_DIR}/kind" get clusters 2>/dev/null | grep -qxF "${cluster}" || { echo "kind cluster ${cluster} left"; return 1; }
  left="$(pgrep -f -- "${TMP}" || true)"
  [[ -z "${left}" ]] || { echo "processes using ${TMP} still running: ${left}"; return 1; }
}
check "hack/down.sh: no kind container, cluster or process left" down
