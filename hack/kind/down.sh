#!/usr/bin/env bash
# hack/kind/down.sh - delete the kind cluster made by hack/kind/up.sh.
#   --stop-docker   also stop the dockerd that hack/kind/lib.sh started (by its pid file)
set -euo pipefail

# shellcheck source=hack/kind/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

main() {
  local stop_docker=false
  while (($#)); do
    case "$1" in
      --stop-docker) stop_docker=true ;;
      *) die "unknown argument '$1'" ;;
    esac
    shift
  done
  if docker info >/dev/null 2>&1; then
    "${KIND_BIN_DIR}/kind" delete cluster --name "${KIND_CLUSTER_NAME}" \
      --kubeconfig "${KIND_KUBECONFIG:-${KIND_DIR}/kubeconfig-${KIND_CLUSTER_NAME}}"
  else
    log "no docker daemon; nothing to delete"
  fi
  if [[ "${stop_docker}" == true ]]; then stop_dockerd; fi
}

main "$@"
