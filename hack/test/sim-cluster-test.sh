#!/usr/bin/env bash
# hack/test/sim-cluster-test.sh - end-to-end check of hack/sim-cluster.sh:
#   up -> StatefulSet of 3 Ready on kwok nodes -> delete pod -1 -> recreated
#   (new UID) and Ready -> down -> no recorded process (or any etcd /
#   kube-apiserver / kwok ... using the state dir) left.
# Prints "sim-cluster: N passed, M failed" last; exits non-zero on any failure.
#
# Environment: SIM_CLUSTER_DIR (default: a fresh temp dir, so a developer's own
# sim-cluster on the default dir/ports is not touched), SIM_TEST_TIMEOUT (s, default 120).
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

TMP_ROOT=""
if [[ -z "${SIM_CLUSTER_DIR:-}" ]]; then
  TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/sim-cluster-test.XXXXXX")"
  export SIM_CLUSTER_DIR="${TMP_ROOT}/state"
fi
STATE="${SIM_CLUSTER_DIR}"
TIMEOUT="${SIM_TEST_TIMEOUT:-120}"
SIM="${HACK_DIR}/sim-cluster.sh"
KUBECTL="$(chopsticks_tools_dir)/bin/kubectl"
NS=sim-test
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

passed=0
failed=0
up_ok=false
check() { # check NAME COMMAND... : run a check, count it
  local name="$1"
  shift
  if [[ "$1" != cluster_up && "${up_ok}" != true && "$1" != cluster_down ]]; then
    failed=$((failed + 1))
    log "FAIL ${name} (skipped: cluster did not come up)"
    return 0
  fi
  if "$@"; then
    passed=$((passed + 1))
    log "PASS ${name}"
  else
    failed=$((failed + 1))
    log "FAIL ${name}"
  fi
}

RECORDED_PIDS=()
summary() {
  local rc=$?
  # Never leave a cluster behind, even when a check aborted the script.
  if [[ -d "${STATE}" ]]; then
    "${SIM}" down >/dev/null 2>&1 || true
  fi
  [[ -n "${TMP_ROOT}" ]] && rm -rf "${TMP_ROOT}"
  if ((rc != 0 && failed == 0)); then failed=$((failed + 1)); fi
  echo "sim-cluster: ${passed} passed, ${failed} failed"
  if ((failed > 0)); then exit 1; fi
  exit "${rc}"
}
trap summary EXIT

kc() { "${KUBECTL}" --kubeconfig "${STATE}/kubeconfig" "$@"; }

# ---- check 1: up, healthy, 3 Ready fake nodes -------------------------------
cluster_up() {
  local t0
  t0="$(now_s)"
  "${SIM}" up || return 1
  log "sim-cluster up took $(elapsed "${t0}")s"
  local c
  for c in "${COMPONENTS[@]}"; do
    RECORDED_PIDS+=("$(cat "${STATE}/pids/${c}.pid")")
  done
  log "recorded pids: ${RECORDED_PIDS[*]}"
  # idempotent second `up` (output captured first: grep -q in a pipe + pipefail = SIGPIPE)
  local out
  out="$("${SIM}" up 2>&1)" || { warn "second up failed: ${out}"; return 1; }
  [[ "${out}" == *"already up and healthy"* ]] || { warn "second up was not a no-op: ${out}"; return 1; }
  "${SIM}" status >/dev/null || { warn "status reports unhealthy"; return 1; }
  kc wait --for=condition=Ready node -l type=kwok --timeout=30s >/dev/null || return 1
  [[ "$(kc get nodes -l type=kwok -o name | wc -l)" -eq 3 ]] || { warn "expected 3 kwok nodes"; return 1; }
  up_ok=true
}
check "cluster up (healthy, idempotent, 3 Ready kwok nodes)" cluster_up

# ---- check 2: StatefulSet 3/3 ready, pod -1 recreated with a new UID -------------
statefulset_cycle() {
  kc create namespace "${NS}" >/dev/null || return 1
  wait_for "default ServiceAccount in ${NS}" 60 0.5 kc -n "${NS}" get serviceaccount default || return 1
  kc -n "${NS}" apply -f - >/dev/null <<'EOF' || return 1
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80, name: http}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  podManagementPolicy: Parallel
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      nodeSelector:
        type: kwok
      tolerations:
      - key: kwok.x-k8s.io/node
        operator: Exists
        effect: NoSchedule
      containers:
      - name: web
        image: registry.invalid/fake:1
        ports: [{containerPort: 80, name: http}]
EOF
  kc -n "${NS}" rollout status statefulset/web --timeout="${TIMEOUT}s" >/dev/null || return 1
  local ready
  ready="$(kc -n "${NS}" get statefulset web -o jsonpath='{.status.readyReplicas}')"
  log "statefulset web: ${ready}/3 ready"
  [[ "${ready}" == 3 ]] || return 1

  local old_uid new_uid
  old_uid="$(kc -n "${NS}" get pod web-1 -o jsonpath='{.metadata.uid}')"
  kc -n "${NS}" delete pod web-1 --wait=false >/dev/null || return 1
  local deadline=$((SECONDS + TIMEOUT))
  while :; do
    new_uid="$(kc -n "${NS}" get pod web-1 -o jsonpath='{.metadata.uid}' 2>/dev/null || true)"
    [[ -n "${new_uid}" && "${new_uid}" != "${old_uid}" ]] && break
    ((SECONDS < deadline)) || { warn "web-1 not recreated within ${TIMEOUT}s"; return 1; }
    sleep 0.5
  done
  kc -n "${NS}" wait --for=condition=Ready pod/web-1 --timeout="${TIMEOUT}s" >/dev/null || return 1
  kc -n "${NS}" rollout status statefulset/web --timeout="${TIMEOUT}s" >/dev/null || return 1
  log "web-1 recreated: uid ${old_uid} -> ${new_uid}, Ready; node $(kc -n "${NS}" get pod web-1 -o jsonpath='{.spec.nodeName}')"
}
check "statefulset 3/3 ready, pod web-1 recreated (new UID) and ready" statefulset_cycle

# ---- check 3: down leaves nothing behind -------------------------------------
cluster_down() {
  "${SIM}" down || return 1
  local pid left=0
  for pid in "${RECORDED_PIDS[@]}"; do
    if [[ -d "/proc/${pid}" ]] && [[ "$(awk '{print $3}' "/proc/${pid}/stat" 2>/dev/null)" != Z ]]; then
      warn "recorded pid ${pid} ($(cat "/proc/${pid}/comm" 2>/dev/null)) still running"
      left=1
    fi
  done
  # and nothing else started from that state dir
  local stray
  stray="$(pgrep -a -f -- "${STATE}/" | grep -E ' [^ ]*/(etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kwok) ' || true)"
  if [[ -n "${stray}" ]]; then
    warn "processes still using ${STATE}: ${stray}"
    left=1
  fi
  [[ ! -e "${STATE}" ]] || { warn "${STATE} still exists"; left=1; }
  ((left == 0))
}
check "down stops every recorded pid and removes the state dir" cluster_down
