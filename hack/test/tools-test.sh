#!/usr/bin/env bash
# hack/test/tools-test.sh - checks hack/tools.sh: every pinned binary reports
# its pinned version, the kube-api-test layout is complete, the kwok stages are
# there, and a warm (second) run is a fast no-op.
# Builds first if needed (cold: ~15 min on 2 cores). Last line: "tools: N passed, M failed".
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"
# shellcheck source=hack/lib/versions.sh
source "${HACK_DIR}/lib/versions.sh"

TOOLS_DIR="$(chopsticks_tools_dir)"
BIN="${TOOLS_DIR}/bin"
KAT_DIR="${KUBE_API_TEST_DIR:-${HOME}/.kubeapitest}/k8s/${K8S_VERSION#v}-linux-amd64"

passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$@"; then
    passed=$((passed + 1))
    log "PASS ${name}"
  else
    failed=$((failed + 1))
    log "FAIL ${name}"
  fi
}
trap 'echo "tools: ${passed} passed, ${failed} failed"; ((failed == 0)) || exit 1' EXIT

first_run() { "${HACK_DIR}/tools.sh"; }
check "hack/tools.sh builds/finds everything" first_run

outputs() { # outputs EXPECTED COMMAND...: first line of output starts with EXPECTED
  local want="$1" got
  shift
  got="$("$@" 2>&1 | head -1)"
  [[ "${got}" == "${want}"* ]] || { warn "$*: got '${got}', want '${want}'"; return 1; }
}
check "kube-apiserver --version" outputs "Kubernetes ${K8S_VERSION}" "${BIN}/kube-apiserver" --version
check "kube-controller-manager --version" outputs "Kubernetes ${K8S_VERSION}" "${BIN}/kube-controller-manager" --version
check "kube-scheduler --version" outputs "Kubernetes ${K8S_VERSION}" "${BIN}/kube-scheduler" --version
check "kubectl version --client" outputs "Client Version: ${K8S_VERSION}" "${BIN}/kubectl" version --client
check "etcd --version" outputs "etcd Version: ${ETCD_VERSION#v}" "${BIN}/etcd" --version
check "kwok --version" outputs "kwok version ${KWOK_VERSION} " "${BIN}/kwok" --version
check "helm version" outputs "${HELM_VERSION}" "${BIN}/helm" version --short --template '{{.Version}}'

kat_layout() {
  local b
  for b in etcd kube-apiserver kubectl; do
    [[ -x "${KAT_DIR}/${b}" ]] || { warn "${KAT_DIR}/${b} missing"; return 1; }
  done
}
check "kube-api-test layout ${KAT_DIR}" kat_layout

stages() {
  local n
  n="$(grep -c '^kind: Stage' "${TOOLS_DIR}/share/kwok/stages.yaml")"
  [[ "${n}" -eq 5 ]] || { warn "expected 5 kwok Stages, found ${n}"; return 1; }
}
check "kwok stages (5 Stage configs)" stages

warm_run() {
  local t0 took
  t0="$(now_s)"
  "${HACK_DIR}/tools.sh" 2>/dev/null
  took="$(elapsed "${t0}")"
  log "warm run took ${took}s"
  awk -v t="${took}" 'BEGIN { exit !(t < 10) }'
}
check "warm run is a no-op under 10s" warm_run
