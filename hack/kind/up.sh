#!/usr/bin/env bash
# hack/kind/up.sh - start dockerd if none answers (root, --ip-masq=false
# --ip-forward=false), build what hack/kind/build.sh has not built yet, and
# create a 1-node kind cluster from the locally built node image. Prints the
# KUBECONFIG export on stdout.
#
# Environment (all optional):
#   KIND_CLUSTER_NAME   default chopsticks
#   KIND_NODE_IMAGE     default chopsticks.local/kind-node:<k8s version> (see lib.sh)
#   KIND_KUBECONFIG     default ~/.cache/chopsticks/kind/kubeconfig-<cluster>
#   KIND_WAIT           seconds to wait for the node and kube-system pods (default 300)
#   KIND_SKIP_BUILD     true: do not run build.sh (the image must exist)
set -euo pipefail

# shellcheck source=hack/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

KUBECONFIG_FILE="${KIND_KUBECONFIG:-${KIND_DIR}/kubeconfig-${KIND_CLUSTER_NAME}}"
WAIT="${KIND_WAIT:-300}"
KIND="${KIND_BIN_DIR}/kind"
KUBECTL="${KIND_BIN_DIR}/kubectl"

main() {
  local start
  start="$(now_s)"
  ensure_dockerd
  if [[ "${KIND_SKIP_BUILD:-false}" != true ]]; then "${KIND_HACK_DIR}/build.sh"; fi
  ensure_kind_network
  docker image inspect "${KIND_NODE_IMAGE}" >/dev/null 2>&1 || die "node image ${KIND_NODE_IMAGE} missing: run hack/kind/build.sh"
  if "${KIND}" get clusters 2>/dev/null | grep -qxF "${KIND_CLUSTER_NAME}"; then
    log "kind cluster ${KIND_CLUSTER_NAME} exists; reusing it"
    "${KIND}" export kubeconfig --name "${KIND_CLUSTER_NAME}" --kubeconfig "${KUBECONFIG_FILE}" >&2
  else
    log "kind create cluster --name ${KIND_CLUSTER_NAME} --image ${KIND_NODE_IMAGE}"
    "${KIND}" create cluster --name "${KIND_CLUSTER_NAME}" --image "${KIND_NODE_IMAGE}" \
      --kubeconfig "${KUBECONFIG_FILE}" --wait "${WAIT}s" >&2
  fi
  export KUBECONFIG="${KUBECONFIG_FILE}"
  "${KUBECTL}" wait --for=condition=Ready node --all --timeout="${WAIT}s" >&2
  # DaemonSets/Deployments are created by kind right after kubeadm init; wait for their pods.
  local what
  for what in daemonset/kindnet daemonset/kube-proxy deployment/coredns; do
    "${KUBECTL}" -n kube-system rollout status "${what}" --timeout="${WAIT}s" >&2
  done
  "${KUBECTL}" -n local-path-storage rollout status deployment/local-path-provisioner --timeout="${WAIT}s" >&2
  "${KUBECTL}" get nodes -o wide >&2
  "${KUBECTL}" get pods -A -o wide >&2
  log "cluster ${KIND_CLUSTER_NAME} up in $(elapsed "${start}")s"
  printf 'export KUBECONFIG=%q\n' "${KUBECONFIG_FILE}"
}

main "$@"
