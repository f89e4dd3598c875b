#!/usr/bin/env bash
# hack/down.sh - undoes hack/up.sh, using what it recorded in its state dir (~/.cache/chopsticks/up):
#   stops the local operator (exactly the recorded PID, if it is still that program), deletes the demo namespace
#   and the Helm release, stops the simulated cluster or deletes the kind cluster up.sh created (a cluster that
#   was already running is left running), removes the docker network and stops the Docker daemon if up.sh
#   created them, and removes the state dir. Safe to run twice.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

STATE="${CHOPSTICKS_UP_DIR:-$(chopsticks_cache_dir)/up}"
if [[ ! -d "${STATE}" ]]; then
  log "hack/down.sh: nothing to undo (${STATE} does not exist)"
  exit 0
fi
MODE="$(cat "${STATE}/mode" 2>/dev/null || echo unknown)"
KUBECTL="$(chopsticks_tools_dir)/bin/kubectl"
[[ -x "${KUBECTL}" ]] || KUBECTL="$(command -v kubectl || true)"
if [[ -f "${STATE}/kubeconfig-path" ]]; then
  KUBECONFIG="$(cat "${STATE}/kubeconfig-path")"
  export KUBECONFIG
fi

# 1. The local operator: the recorded PID, only if it still runs the operator jar.
if [[ -f "${STATE}/operator.pid" ]]; then
  pid="$(cat "${STATE}/operator.pid")"
  if [[ -r "/proc/${pid}/cmdline" ]] && tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q 'chopsticks-operator.jar'; then
    kill -TERM "${pid}" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do [[ -d "/proc/${pid}" ]] || break; sleep 0.1; done
    if [[ -d "/proc/${pid}" ]]; then
      warn "operator (pid ${pid}) ignored SIGTERM for 15s; sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
    fi
    log "stopped the operator (pid ${pid})"
  fi
  rm -f "${STATE}/operator.pid"
fi

cluster_reachable() { [[ -n "${KUBECTL}" && -n "${KUBECONFIG:-}" ]] && "${KUBECTL}" get --raw /readyz >/dev/null 2>&1; }

# 2. In a cluster that stays up: the demo namespace and the Helm release.
if [[ ! -f "${STATE}/sim-cluster" && ! -f "${STATE}/kind-cluster" ]] && cluster_reachable; then
  if [[ -f "${STATE}/demo-namespace" ]]; then
    ns="$(cat "${STATE}/demo-namespace")"
    # The ChopsticksCluster first, while an operator could still clean up after it; then the namespace.
    "${KUBECTL}" -n "${ns}" delete chopsticksclusters --all --wait=false >/dev/null 2>&1 || true
    "${KUBECTL}" delete namespace "${ns}" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    log "deleted namespace ${ns}"
  fi
  if [[ -f "${STATE}/helm-release-namespace" ]]; then
    helm="$(chopsticks_tools_dir)/bin/helm"
    [[ -x "${helm}" ]] || helm="$(command -v helm || true)"
    [[ -z "${helm}" ]] || "${helm}" uninstall chopsticks-operator -n "$(cat "${STATE}/helm-release-namespace")" >/dev/null 2>&1 || true
  fi
fi

# 3. The cluster, if up.sh created it.
if [[ -f "${STATE}/sim-cluster" ]]; then
  "${HACK_DIR}/sim-cluster.sh" down >&2
fi
if [[ -f "${STATE}/kind-cluster" || -f "${STATE}/docker-network" || -f "${STATE}/dockerd" ]]; then
  # shellcheck source=hack/kind/lib.sh
  source "${HACK_DIR}/kind/lib.sh"
  if [[ -f "${STATE}/kind-cluster" ]]; then
    "${KIND_BIN_DIR}/kind" delete cluster --name "$(cat "${STATE}/kind-cluster")" >&2 || true
  fi
  if [[ -f "${STATE}/docker-network" ]]; then
    docker network rm "$(cat "${STATE}/docker-network")" >/dev/null 2>&1 || true
    log "removed docker network $(cat "${STATE}/docker-network")"
  fi
  # The Docker daemon too, when up.sh started it (its images stay cached on disk for the next hack/up.sh).
  if [[ -f "${STATE}/dockerd" ]]; then stop_dockerd; fi
fi

rm -rf "${STATE}"
log "hack/down.sh: ${MODE} deployment removed"
