#!/usr/bin/env bash
# hack/up.sh - the quick start: a Chopsticks deployment with the Discord simulator, on this machine.
#
#   With Docker (and kind):  kind cluster -> Jib images into Docker -> kind load -> helm install the chart ->
#                            examples (demo PostgreSQL, Discord simulator, ChopsticksCluster) -> wait for Ready shards.
#   Without Docker:          simulated cluster (hack/sim-cluster.sh: real API server, kwok nodes) -> CRDs ->
#                            the operator as a local process -> the same examples -> wait until the operator has
#                            reconciled the sample (kwok pods run no containers, so shards stay Pending).
# Either way it prints `kubectl get chopsticksclusters,shards` and how to reach the cluster. hack/down.sh undoes
# everything up.sh did (and only that: a simulated cluster that was already running is left running).
#
# Environment (all optional):
#   UP_MODE          auto (default: kind when Docker and kind work, else sim), kind or sim
#   UP_SKIP_BUILD    true: reuse the jars/images already built
#   UP_TIMEOUT       seconds to wait for the sample (default 300)
#   CHOPSTICKS_UP_DIR  state dir (default ~/.cache/chopsticks/up): PIDs, logs, what to undo
#   SIM_CLUSTER_DIR, SIM_*_PORT  passed to hack/sim-cluster.sh
#   KIND_CLUSTER_NAME  default chopsticks
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

STATE="${CHOPSTICKS_UP_DIR:-$(chopsticks_cache_dir)/up}"
TIMEOUT="${UP_TIMEOUT:-300}"
MODE="${UP_MODE:-auto}"
DEMO_NS=chopsticks-demo
CHART="${ROOT}/charts/chopsticks-operator"
EXAMPLES="${CHART}/examples"
VERSION="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "${CHART}/Chart.yaml")"
KIND_CLUSTER="${KIND_CLUSTER_NAME:-chopsticks}"

if [[ "${MODE}" == auto ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1 && command -v kind >/dev/null; then MODE=kind; else MODE=sim; fi
fi
[[ "${MODE}" == kind || "${MODE}" == sim ]] || die "UP_MODE must be auto, kind or sim, got ${MODE}"
if [[ -f "${STATE}/mode" ]]; then
  die "${STATE} exists: a previous hack/up.sh is still up ($(cat "${STATE}/mode")); run hack/down.sh first"
fi
mkdir -p "${STATE}/logs"
echo "${MODE}" >"${STATE}/mode"
log "hack/up.sh: ${MODE} mode, state in ${STATE}"

JAVA_HOME="$("${HACK_DIR}/java-home.sh")"
export JAVA_HOME PATH="${JAVA_HOME}/bin:${PATH}"
TOOLS_BIN="$(chopsticks_tools_dir)/bin"
KUBECTL="${TOOLS_BIN}/kubectl"
[[ -x "${KUBECTL}" ]] || KUBECTL="$(command -v kubectl)"
kc() { "${KUBECTL}" "$@"; }

# ------------------------------------------------------------------------------------------- build ------
if [[ "${UP_SKIP_BUILD:-false}" != true ]]; then
  if [[ "${MODE}" == kind ]]; then
    log "building the images with Jib into Docker (chopsticks/<module>:${VERSION})"
    # As hack/kind-e2e.sh: install the modules (and what they depend on), then Jib each into the Docker daemon.
    mvn -B -ntp -q -pl operator,bot-runtime,hack/discord-sim -am install -DskipTests
    for m in operator bot-runtime hack/discord-sim; do
      mvn -B -ntp -q -pl "$m" jib:dockerBuild -Djib.to.image="chopsticks/$(basename "$m"):${VERSION}"
    done
  else
    log "building the operator jar"
    mvn -B -ntp -q -pl operator -am package -DskipTests
  fi
fi

# ----------------------------------------------------------------------------------------- cluster ------
if [[ "${MODE}" == kind ]]; then
  if ! grep -qx "${KIND_CLUSTER}" <<<"$(kind get clusters 2>/dev/null)"; then
    kind create cluster --name "${KIND_CLUSTER}" --wait 120s >&2
    echo "${KIND_CLUSTER}" >"${STATE}/kind-cluster"
  fi
  export KUBECONFIG="${STATE}/kubeconfig"
  kind get kubeconfig --name "${KIND_CLUSTER}" >"${KUBECONFIG}"
  for img in operator bot-runtime discord-sim; do
    kind load docker-image --name "${KIND_CLUSTER}" "chopsticks/${img}:${VERSION}" >&2
  done
  HELM="${TOOLS_BIN}/helm"
  [[ -x "${HELM}" ]] || HELM="$(command -v helm || true)"
  [[ -n "${HELM}" ]] || { "${HACK_DIR}/tools.sh" helm; HELM="${TOOLS_BIN}/helm"; }
  log "helm install chopsticks-operator"
  "${HELM}" upgrade --install chopsticks-operator "${CHART}" -n chopsticks-system --create-namespace \
    --set image.pullPolicy=IfNotPresent --wait --timeout 5m >&2
  echo chopsticks-system >"${STATE}/helm-release-namespace"
else
  if ! "${HACK_DIR}/sim-cluster.sh" status >/dev/null 2>&1; then
    "${HACK_DIR}/sim-cluster.sh" up >&2
    echo started >"${STATE}/sim-cluster"
  else
    log "reusing the running simulated cluster (hack/down.sh will leave it running)"
  fi
  KUBECONFIG="$("${HACK_DIR}/sim-cluster.sh" env | sed -n 's/^export KUBECONFIG=//p')"
  export KUBECONFIG
  log "applying the CRDs"
  kc apply --server-side --field-manager=hack-up -f "${ROOT}/crds/chopsticksclusters.chopsticks.dev.yaml" \
    -f "${ROOT}/crds/shards.chopsticks.dev.yaml" >/dev/null
  kc wait --for=condition=Established crd/chopsticksclusters.chopsticks.dev crd/shards.chopsticks.dev --timeout=60s >/dev/null
  log "starting the operator locally (log ${STATE}/logs/operator.log)"
  KUBECONFIG="${KUBECONFIG}" LEADER_ELECTION_ENABLED=false OPERATOR_HTTP_PORT="${UP_OPERATOR_HTTP_PORT:-0}" \
    LOG_FORMAT=text POD_NAME=hack-up setsid java -jar "${ROOT}/operator/target/chopsticks-operator.jar" \
    </dev/null >"${STATE}/logs/operator.log" 2>&1 &
  echo $! >"${STATE}/operator.pid"
fi
echo "${KUBECONFIG}" >"${STATE}/kubeconfig-path"

# ---------------------------------------------------------------------------------------- examples ------
log "deploying the demo PostgreSQL, the Discord simulator and the sample ChopsticksCluster (namespace ${DEMO_NS})"
echo "${DEMO_NS}" >"${STATE}/demo-namespace"
kc apply -f "${EXAMPLES}/demo-postgres.yaml" >/dev/null
kc apply -f "${EXAMPLES}/simulator.yaml" >/dev/null

reconciled() {
  local gen obs shards want
  gen="$(kc -n "${DEMO_NS}" get ccl chopsticks -o jsonpath='{.metadata.generation}')"
  obs="$(kc -n "${DEMO_NS}" get ccl chopsticks -o jsonpath='{.status.observedGeneration}')"
  want="$(kc -n "${DEMO_NS}" get ccl chopsticks -o jsonpath='{.status.shards}')"
  shards="$(kc -n "${DEMO_NS}" get shards.chopsticks.dev -o name | wc -l)"
  [[ -n "${obs}" && "${gen}" == "${obs}" && -n "${want}" && "${shards}" -ge "${want}" ]] || return 1
  if [[ "${MODE}" == kind ]]; then
    [[ "$(kc -n "${DEMO_NS}" get ccl chopsticks -o jsonpath='{.status.readyShards}')" == "${want}" ]]
  fi
}
operator_alive() {
  [[ "${MODE}" == kind ]] || kill -0 "$(cat "${STATE}/operator.pid")" 2>/dev/null
}
deadline=$((SECONDS + TIMEOUT))
until reconciled 2>/dev/null; do
  operator_alive || { tail -30 "${STATE}/logs/operator.log" >&2; die "the operator exited (log ${STATE}/logs/operator.log)"; }
  ((SECONDS < deadline)) || die "the sample was not reconciled within ${TIMEOUT}s (see ${STATE}/logs; hack/down.sh cleans up)"
  sleep 2
done

echo
kc get chopsticksclusters,shards -n "${DEMO_NS}"
echo
cat <<EOF
Chopsticks is up (${MODE} mode).
  export KUBECONFIG=${KUBECONFIG}
  kubectl -n ${DEMO_NS} get chopsticksclusters,shards,pods
EOF
if [[ "${MODE}" == sim ]]; then
  cat <<EOF
  operator log: ${STATE}/logs/operator.log
  (kwok nodes run no containers: the shard pods are scheduled and "Running" but no bot runs, so shards stay Pending)
EOF
fi
echo "Undo everything: hack/down.sh"
