#!/usr/bin/env bash
# hack/kind-e2e.sh - tier-4 e2e on a real (kind) cluster. Needs a Docker daemon,
# so it runs in GitHub Actions (.github/workflows/e2e-kind.yml) or on a developer
# machine with Docker; the no-Docker equivalent is hack/sim-cluster.sh.
#
#   1. create (or reuse) kind cluster $KIND_CLUSTER_NAME
#   2. build the images with Jib into the local Docker daemon:
#        operator, bot-runtime, hack/discord-sim  ->  $E2E_IMAGE_PREFIX/<name>:$E2E_IMAGE_TAG
#   3. kind load docker-image ...
#   4. helm upgrade --install charts/chopsticks-operator (image = the one just built)
#   5. mvn -pl hack/e2e -Pe2e verify   with KUBECONFIG pointing at the kind cluster
#   6. on failure export kind logs to $E2E_ARTIFACTS; delete the cluster unless KEEP_CLUSTER=true
#
# Environment (all optional):
#   KIND_CLUSTER_NAME   default chopsticks-e2e
#   KIND_NODE_IMAGE     kind node image (default: kind's default for its version)
#   E2E_IMAGE_PREFIX    default chopsticks      E2E_IMAGE_TAG  default e2e
#   E2E_NAMESPACE       operator namespace (default chopsticks-system)
#   E2E_HELM_ARGS       extra helm args (default sets image.repository/tag/pullPolicy)
#   E2E_MVN_ARGS        extra Maven args for the build and the e2e run (e.g. -B -ntp)
#   E2E_ARTIFACTS       where logs go (default target/kind-e2e)
#   KEEP_CLUSTER        true: do not delete the cluster at the end
#   SKIP_BUILD          true: reuse images already in the Docker daemon
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"
# shellcheck source=hack/lib/versions.sh
source "${HACK_DIR}/lib/versions.sh"

CLUSTER="${KIND_CLUSTER_NAME:-chopsticks-e2e}"
PREFIX="${E2E_IMAGE_PREFIX:-chopsticks}"
TAG="${E2E_IMAGE_TAG:-e2e}"
NAMESPACE="${E2E_NAMESPACE:-chopsticks-system}"
ARTIFACTS="${E2E_ARTIFACTS:-${ROOT}/target/kind-e2e}"
CHART="${ROOT}/charts/chopsticks-operator"
read -r -a MVN_ARGS <<<"${E2E_MVN_ARGS:--B -ntp}"
# module path -> image name
MODULES=(operator bot-runtime hack/discord-sim)
image_for() { printf '%s/%s:%s\n' "${PREFIX}" "$(basename "$1")" "${TAG}"; }
OPERATOR_IMAGE="$(image_for operator)"
BOT_IMAGE="$(image_for bot-runtime)"
DISCORD_SIM_IMAGE="$(image_for hack/discord-sim)"
if [[ -n "${E2E_HELM_ARGS:-}" ]]; then
  read -r -a HELM_ARGS <<<"${E2E_HELM_ARGS}"
else
  # values keys of charts/chopsticks-operator (image.*, relatedImages.*)
  HELM_ARGS=(--set "image.repository=${OPERATOR_IMAGE%:*}" --set "image.tag=${TAG}" --set image.pullPolicy=IfNotPresent
    --set "relatedImages.botRuntime.repository=${BOT_IMAGE%:*}" --set "relatedImages.botRuntime.tag=${TAG}"
    --set "relatedImages.discordSim.repository=${DISCORD_SIM_IMAGE%:*}" --set "relatedImages.discordSim.tag=${TAG}")
fi

mvn_cmd() {
  if [[ -x "${ROOT}/mvnw" ]]; then "${ROOT}/mvnw" "$@"; else mvn "$@"; fi
}

preflight() {
  command -v docker >/dev/null || die "docker not found: kind-e2e needs a Docker daemon (use hack/sim-cluster.sh without Docker)"
  docker info >/dev/null 2>&1 || die "docker daemon not reachable"
  command -v kubectl >/dev/null || die "kubectl not found"
  if ! command -v kind >/dev/null; then
    command -v go >/dev/null || die "kind not found and no Go to build it"
    log "installing kind ${KIND_VERSION} (go install)"
    GOFLAGS=-buildvcs=false go install "sigs.k8s.io/kind@${KIND_VERSION}"
    PATH="$(go env GOPATH)/bin:${PATH}"
  fi
  if ! command -v helm >/dev/null; then
    log "helm not on PATH; building it with hack/tools.sh"
    "${HACK_DIR}/tools.sh" helm
    PATH="$(chopsticks_tools_dir)/bin:${PATH}"
  fi
  [[ -d "${CHART}" ]] || die "chart not found: ${CHART}"
  log "kind $(kind version | awk '{print $2}'), helm $(helm version --short), kubectl $(kubectl version --client -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["clientVersion"]["gitVersion"])' 2>/dev/null || echo '?')"
}

KUBECONFIG_FILE=""
create_cluster() {
  mkdir -p "${ARTIFACTS}"
  KUBECONFIG_FILE="${ARTIFACTS}/kubeconfig"
  if kind get clusters 2>/dev/null | grep -x "${CLUSTER}" >/dev/null; then
    log "reusing kind cluster ${CLUSTER}"
  else
    local args=(create cluster --name "${CLUSTER}" --wait 180s)
    [[ -n "${KIND_NODE_IMAGE:-}" ]] && args+=(--image "${KIND_NODE_IMAGE}")
    log "creating kind cluster ${CLUSTER}"
    kind "${args[@]}"
  fi
  kind get kubeconfig --name "${CLUSTER}" >"${KUBECONFIG_FILE}"
  export KUBECONFIG="${KUBECONFIG_FILE}"
  kubectl wait --for=condition=Ready nodes --all --timeout=180s
}

build_images() {
  if [[ "${SKIP_BUILD:-false}" == "true" ]]; then
    log "SKIP_BUILD=true: using existing images"
    return 0
  fi
  local t0 pl
  t0="$(now_s)"
  pl="$(IFS=,; echo "${MODULES[*]}")"
  log "building ${pl} (and what they depend on)"
  (cd "${ROOT}" && mvn_cmd "${MVN_ARGS[@]}" -pl "${pl}" -am -DskipTests install)
  local m
  for m in "${MODULES[@]}"; do
    log "jib:dockerBuild ${m} -> $(image_for "${m}")"
    (cd "${ROOT}" && mvn_cmd "${MVN_ARGS[@]}" -pl "${m}" jib:dockerBuild -Dimage="$(image_for "${m}")")
  done
  log "images built in $(elapsed "${t0}")s"
}

load_images() {
  local m
  for m in "${MODULES[@]}"; do
    log "kind load docker-image $(image_for "${m}")"
    kind load docker-image --name "${CLUSTER}" "$(image_for "${m}")"
  done
}

install_chart() {
  log "helm upgrade --install chopsticks-operator (${OPERATOR_IMAGE})"
  helm upgrade --install chopsticks-operator "${CHART}" \
    --namespace "${NAMESPACE}" --create-namespace \
    "${HELM_ARGS[@]}" --wait --timeout 5m
  kubectl -n "${NAMESPACE}" get pods -o wide
}

run_e2e() {
  log "running e2e suite (mvn -pl hack/e2e -Pe2e verify)"
  (cd "${ROOT}" && KUBECONFIG="${KUBECONFIG_FILE}" \
    CHOPSTICKS_E2E_OPERATOR_IMAGE="${OPERATOR_IMAGE}" \
    CHOPSTICKS_E2E_BOT_IMAGE="${BOT_IMAGE}" \
    CHOPSTICKS_E2E_DISCORD_SIM_IMAGE="${DISCORD_SIM_IMAGE}" \
    CHOPSTICKS_E2E_NAMESPACE="${NAMESPACE}" \
    mvn_cmd "${MVN_ARGS[@]}" -pl hack/e2e -Pe2e verify \
    -Dchopsticks.e2e.operatorImage="${OPERATOR_IMAGE}" \
    -Dchopsticks.e2e.botImage="${BOT_IMAGE}" \
    -Dchopsticks.e2e.discordSimImage="${DISCORD_SIM_IMAGE}" \
    -Dchopsticks.e2e.namespace="${NAMESPACE}")
}

finish() {
  local rc=$?
  if ((rc != 0)) && kind get clusters 2>/dev/null | grep -x "${CLUSTER}" >/dev/null; then
    warn "kind-e2e failed (exit ${rc}); exporting logs to ${ARTIFACTS}/logs"
    kind export logs --name "${CLUSTER}" "${ARTIFACTS}/logs" >/dev/null 2>&1 || true
    if [[ -n "${KUBECONFIG_FILE}" ]]; then
      kubectl --kubeconfig "${KUBECONFIG_FILE}" get all -A -o wide >"${ARTIFACTS}/get-all.txt" 2>&1 || true
      kubectl --kubeconfig "${KUBECONFIG_FILE}" get events -A --sort-by=.lastTimestamp >"${ARTIFACTS}/events.txt" 2>&1 || true
    fi
  fi
  if [[ "${KEEP_CLUSTER:-false}" != "true" ]] && command -v kind >/dev/null; then
    kind delete cluster --name "${CLUSTER}" >/dev/null 2>&1 || true
  fi
  exit "${rc}"
}

main() {
  local t0
  t0="$(now_s)"
  preflight
  trap finish EXIT
  create_cluster
  build_images
  load_images
  install_chart
  run_e2e
  log "kind-e2e passed in $(elapsed "${t0}")s"
}

main "$@"
