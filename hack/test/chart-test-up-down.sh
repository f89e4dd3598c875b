#!/usr/bin/env bash
# hack/test/chart-test-up-down.sh - the quick start on this machine: hack/up.sh (simulated-cluster path) brings up
# the operator and the sample, prints the Shards, shows no pod Running (nothing runs them: NoProcess);
# hack/down.sh removes everything (no process, no state left);
# a second hack/down.sh is a no-op. Uses a private state dir and simulated cluster on free ports, so a
# developer's own cluster is not touched. Builds the operator jar unless UP_SKIP_BUILD=true or it exists.
# Prints "up-down: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/up-down-test.XXXXXX")"
export CHOPSTICKS_UP_DIR="${TMP}/up" SIM_CLUSTER_DIR="${TMP}/sim" UP_MODE=sim
port=$((27000 + RANDOM % 1500))  # below the ephemeral port range (32768+)
for var in SIM_ETCD_PORT SIM_ETCD_PEER_PORT SIM_APISERVER_PORT SIM_KCM_PORT SIM_SCHEDULER_PORT; do
  while [[ -n "$(ss -Htln "sport = :${port}" 2>/dev/null)" ]]; do port=$((port + 1)); done
  export "${var}=${port}"
  port=$((port + 1))
done
if [[ -z "${UP_SKIP_BUILD:-}" && -f "${ROOT}/operator/target/chopsticks-operator.jar" ]]; then export UP_SKIP_BUILD=true; fi

passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS ${name}"; else failed=$((failed + 1)); echo "FAIL ${name}"; fi
}
finish() {
  local rc=$?
  # Whatever happened: leave nothing running.
  [[ ! -d "${CHOPSTICKS_UP_DIR}" ]] || "${HACK_DIR}/down.sh" >/dev/null 2>&1 || true
  [[ ! -d "${SIM_CLUSTER_DIR}" ]] || "${HACK_DIR}/sim-cluster.sh" down >/dev/null 2>&1 || true
  rm -rf "${TMP}"
  if ((rc != 0 && failed == 0)); then failed=$((failed + 1)); fi
  echo "up-down: ${passed} passed, ${failed} failed"
  if ((failed > 0)); then exit 1; fi
  exit "${rc}"
}
trap finish EXIT

OPERATOR_PID=""
up() {
  local t0
  t0="$(now_s)"
  if ! "${HACK_DIR}/up.sh" >"${TMP}/up.out" 2>"${TMP}/up.err"; then
    tail -30 "${TMP}/up.err"
    # Keep the operator's log for a look afterwards (target/ is not committed).
    if [[ -f "${CHOPSTICKS_UP_DIR}/logs/operator.log" ]]; then
      mkdir -p "${ROOT}/target/chart-test" && cp "${CHOPSTICKS_UP_DIR}/logs/operator.log" "${ROOT}/target/chart-test/up-operator.log"
      echo "operator log: target/chart-test/up-operator.log"
    fi
    return 1
  fi
  log "hack/up.sh took $(elapsed "${t0}")s"
  cat "${TMP}/up.out"
  OPERATOR_PID="$(cat "${CHOPSTICKS_UP_DIR}/operator.pid")"
  [[ "$(grep -c '^shard.chopsticks.dev/' "${TMP}/up.out")" -eq 8 ]] || { echo "want 8 Shards in the output"; return 1; }
  grep -q '^chopstickscluster.chopsticks.dev/chopsticks ' "${TMP}/up.out"
}
check "hack/up.sh: simulated cluster, CRDs, local operator, sample reconciled into 8 Shards" up

# Nothing plays a process in sim mode: no pod may be shown Running or Completed, the migrations Job's pod says why.
demo_kc() { "$(chopsticks_tools_dir)/bin/kubectl" --kubeconfig "${SIM_CLUSTER_DIR}/kubeconfig" -n chopsticks-demo "$@"; }
migrations_no_process() {
  [[ "$(demo_kc get pods -l app.kubernetes.io/component=migrations \
    -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}')" == *NoProcess* ]]
}
honest() {
  wait_for "the migrations Job's pod marked NoProcess" 60 0.5 migrations_no_process || return 1
  local phases
  phases="$(demo_kc get pods -o jsonpath='{range .items[*]}{.metadata.name} {.status.phase}{"\n"}{end}')"
  echo "${phases}"
  [[ -n "${phases}" && "${phases}" != *Running* && "${phases}" != *Succeeded* ]] || { echo "a pod is shown running"; return 1; }
  grep -q 'NoProcess' "${TMP}/up.out" || { echo "up.sh's closing message does not say NoProcess"; return 1; }
}
check "sim mode: no pod shown Running or Completed, the migrations Job's pod waits with NoProcess" honest

down() {
  "${HACK_DIR}/down.sh" >/dev/null 2>"${TMP}/down.err" || { cat "${TMP}/down.err"; return 1; }
  [[ ! -d "${CHOPSTICKS_UP_DIR}" ]] || { echo "state dir left"; return 1; }
  [[ ! -d "${SIM_CLUSTER_DIR}" ]] || { echo "simulated cluster state left"; return 1; }
  if [[ -n "${OPERATOR_PID}" && -d "/proc/${OPERATOR_PID}" ]]; then echo "operator ${OPERATOR_PID} still running"; return 1; fi
  local left
  left="$(pgrep -f -- "${TMP}" || true)"
  [[ -z "${left}" ]] || { echo "processes using ${TMP} still running: ${left}"; return 1; }
}
check "hack/down.sh: operator stopped, cluster stopped, state removed" down
check "hack/down.sh again: nothing to undo" "${HACK_DIR}/down.sh"
