#!/usr/bin/env bash
# hack/test/sim-cluster-test.sh - end-to-end check of hack/sim-cluster.sh:
#   up -> StatefulSet of 3 Ready on kwok nodes (its pods claimed by this test) -> delete pod -1 -> recreated
#   (new UID) and Ready -> pods no actor claims stay Pending (NoProcess), a Job whose pod no one ran is not
#   Complete, a reported exit completes one -> down -> no recorded process (or any etcd / kube-apiserver /
#   kwok ... using the state dir) left.
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
      # this test plays the pods' process: kwok shows only claimed pods Running (hack/kwok/pod-stages.yaml)
      annotations: {sim.chopsticks.dev/run-by: sim-cluster-test}
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

# ---- check 3: kwok shows only what an actor runs -----------------------------
HONEST_NS=sim-honest
hk() { kc -n "${HONEST_NS}" "$@"; }
phase_of() { hk get "$1" -o jsonpath='{.status.phase}' 2>/dev/null; }
job_pod() { hk get pod -l "job-name=$1" -o name 2>/dev/null | head -1; }
# Unclaimed: scheduled, Pending, its container waiting with reason NoProcess, not Ready; the idle Job's pod
# Pending too and the Job without a success.
unclaimed_honest() {
  local p
  p="$(job_pod idle)"
  [[ -n "${p}" && "$(phase_of pod/bare)" == Pending && "$(phase_of "${p}")" == Pending ]] || return 1
  [[ -n "$(hk get pod bare -o jsonpath='{.spec.nodeName}')" ]] || return 1
  [[ "$(hk get pod bare -o jsonpath='{.status.containerStatuses[0].state.waiting.reason}')" == NoProcess ]] || return 1
  [[ "$(hk get pod bare -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == False ]] || return 1
  [[ -z "$(hk get job idle -o jsonpath='{.status.succeeded}')" ]]
}
# holds COND SECONDS: COND is true at every look for SECONDS (kwok's stages act within a second of a change).
holds() {
  local end=$((SECONDS + $2))
  while ((SECONDS < end)); do
    "$1" || return 1
    sleep 0.5
  done
}
unclaimed_pods() {
  kc create namespace "${HONEST_NS}" >/dev/null || return 1
  wait_for "default ServiceAccount in ${HONEST_NS}" 60 0.5 hk get serviceaccount default || return 1
  hk apply -f - >/dev/null <<'EOF' || return 1
apiVersion: v1
kind: Pod
metadata:
  name: bare
spec:
  restartPolicy: Never
  containers: [{name: bare, image: registry.invalid/fake:1}]
---
apiVersion: v1
kind: Pod
metadata:
  name: claimed
  annotations: {sim.chopsticks.dev/run-by: sim-cluster-test}
spec:
  containers: [{name: claimed, image: registry.invalid/fake:1}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: idle
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: idle, image: registry.invalid/fake:1}]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: reported
spec:
  backoffLimit: 0
  template:
    metadata:
      annotations:
        sim.chopsticks.dev/run-by: sim-cluster-test
        sim.chopsticks.dev/exit-code: "0"
        sim.chopsticks.dev/message: "simulated by sim-cluster-test: no process ran"
    spec:
      restartPolicy: Never
      containers: [{name: reported, image: registry.invalid/fake:1}]
EOF
  # kwok has acted on this batch once the claimed pod is Ready and the reported Job Complete.
  hk wait --for=condition=Ready pod/claimed --timeout="${TIMEOUT}s" >/dev/null || return 1
  hk wait --for=condition=Complete job/reported --timeout="${TIMEOUT}s" >/dev/null || return 1
  if ! wait_for "bare pod and idle Job's pod marked NoProcess" 30 0.5 unclaimed_honest ||
    ! holds unclaimed_honest 5; then
    warn "an unclaimed pod is shown running or the idle Job succeeded:"
    hk get pods,jobs >&2
    return 1
  fi
  local out
  out="$(hk get "$(job_pod reported)" -o jsonpath='{.status.message}')"
  [[ "${out}" == *"no process ran"* ]] || { warn "the reported Job's pod message is '${out}'"; return 1; }
  out="$(hk get pods)"
  log "kubectl get pods -n ${HONEST_NS}:"$'\n'"${out}"
  [[ "${out}" =~ bare\ +0/1\ +NoProcess ]] || { warn "kubectl get pods does not show bare as 0/1 NoProcess"; return 1; }
  out="$(hk describe pod bare)"
  [[ "${out}" == *"no process runs this pod on the simulated cluster"* ]] || { warn "describe pod bare lacks the reason"; return 1; }
}
check "unclaimed pods stay Pending (NoProcess), an idle Job is not Complete, a reported exit completes one" unclaimed_pods

# ---- check 4: down leaves nothing behind -------------------------------------
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
