#!/usr/bin/env bash
# hack/up.sh - the quick start: a Chopsticks deployment with the Discord simulator, on this machine.
#
#   kind (default as root on Debian; Docker is installed and started if absent): Kubernetes tools and a kind node
#        image built here (hack/tools.sh, hack/kind/build.sh), every image built here (hack/images/build.sh) ->
#        kind cluster -> kind load -> helm install the chart -> the examples (demo PostgreSQL, Discord simulator,
#        ChopsticksCluster; images pointed at the local builds, CPU requests scaled to the node) -> waits until every
#        Shard is Ready, printing progress. Ends with the command that sends a slash command (hack/slash.sh).
#   sim  (UP_MODE=sim, or not root): simulated cluster (hack/sim-cluster.sh: real API server, kwok nodes) -> CRDs ->
#        the operator as a local process -> the same examples -> waits until the operator has reconciled the sample.
#        kwok runs no containers, so no bot runs and the shards stay Pending.
# hack/down.sh undoes everything up.sh did (and only that: a cluster that was already running is left running).
#
# Environment (all optional):
#   UP_MODE          auto (default), kind or sim
#   UP_SKIP_BUILD    true: reuse the jars/images already built
#   UP_TIMEOUT       seconds to wait for the sample once it is applied (default 600)
#   UP_CPU_REQUEST   kind: the CPU request of every demo container (default 25m: 8 shards fit a 2-core node)
#   CHOPSTICKS_UP_DIR  state dir (default ~/.cache/chopsticks/up): PIDs, logs, what to undo
#   SIM_CLUSTER_DIR, SIM_*_PORT  passed to hack/sim-cluster.sh
#   KIND_CLUSTER_NAME  default chopsticks
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/images/lib.sh
source "${HACK_DIR}/images/lib.sh"

STATE="${CHOPSTICKS_UP_DIR:-$(chopsticks_cache_dir)/up}"
TIMEOUT="${UP_TIMEOUT:-600}"
UP_CPU_REQUEST="${UP_CPU_REQUEST:-25m}"
MODE="${UP_MODE:-auto}"
DEMO_NS=chopsticks-demo
CHART="${ROOT}/charts/chopsticks-operator"
EXAMPLES="${CHART}/examples"
KIND_CLUSTER="${KIND_CLUSTER_NAME:-chopsticks}"

if [[ "${MODE}" == auto ]]; then
  # kind needs a Docker engine: one that answers, or root to install (Debian's docker.io) and start it.
  if docker info >/dev/null 2>&1 || { [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; }; then MODE=kind; else MODE=sim; fi
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
if [[ "${MODE}" == sim && "${UP_SKIP_BUILD:-false}" != true ]]; then
  log "building the operator jar"
  mvn -B -ntp -q -pl operator -am package -DskipTests
fi

# ----------------------------------------------------------------------------------------- cluster ------
if [[ "${MODE}" == kind ]]; then
  docker info >/dev/null 2>&1 || echo started >"${STATE}/dockerd"
  ensure_dockerd
  docker network inspect "${KIND_DOCKER_NETWORK}" >/dev/null 2>&1 || echo "${KIND_DOCKER_NETWORK}" >"${STATE}/docker-network"
  # The Debian trees download while tools.sh compiles (I/O beside CPU; each build target holds its own lock, so
  # the builds below wait for them rather than start again).
  if [[ "${UP_SKIP_BUILD:-false}" != true ]]; then
    ("${HACK_DIR}/kind/build.sh" rootfs && "${HACK_DIR}/images/build.sh" rootfs) >"${STATE}/logs/prefetch.log" 2>&1 &
  fi
  log "step 1/5: Kubernetes tools and the kind node image (hack/tools.sh, hack/kind/build.sh; cached)"
  "${HACK_DIR}/tools.sh" >&2
  "${HACK_DIR}/kind/build.sh" >&2
  if [[ "${UP_SKIP_BUILD:-false}" != true ]]; then
    log "step 2/5: the images (hack/images/build.sh: Debian PgBouncer/Redis/PostgreSQL, Jib for our jars)"
    "${HACK_DIR}/images/build.sh" >&2
  fi
  log "step 3/5: kind cluster ${KIND_CLUSTER}"
  if ! "${KIND_BIN_DIR}/kind" get clusters 2>/dev/null | grep -qxF "${KIND_CLUSTER}"; then
    echo "${KIND_CLUSTER}" >"${STATE}/kind-cluster"
  fi
  KIND_CLUSTER_NAME="${KIND_CLUSTER}" KIND_KUBECONFIG="${STATE}/kubeconfig" KIND_SKIP_BUILD=true \
    "${HACK_DIR}/kind/up.sh" >/dev/null
  export KUBECONFIG="${STATE}/kubeconfig"
  mapfile -t IMAGES < <(deployed_images)
  log "loading ${#IMAGES[@]} images into the node (kind load docker-image)"
  "${KIND_BIN_DIR}/kind" load docker-image --name "${KIND_CLUSTER}" "${IMAGES[@]}" >&2
  log "step 4/5: helm install chopsticks-operator (${OPERATOR_IMAGE})"
  "${TOOLS_BIN}/helm" upgrade --install chopsticks-operator "${CHART}" -n chopsticks-system --create-namespace \
    --set image.repository="${OPERATOR_IMAGE%:*}" --set image.tag="${OPERATOR_IMAGE##*:}" \
    --set image.pullPolicy=Never --set resources.requests.cpu="${UP_CPU_REQUEST}" --wait --timeout 5m >&2
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
if [[ "${MODE}" == kind ]]; then
  # The examples as a real cluster needs them, pointed at the images built here and scaled to a 2-core node.
  "$(python_with_yaml)" "${HACK_DIR}/lib/render-examples.py" --cpu-request "${UP_CPU_REQUEST}" \
    --image "docker.io/library/postgres:17-alpine=${POSTGRES_IMAGE}" --redis-image "${REDIS_IMAGE}" \
    --pgbouncer-image "${PGBOUNCER_IMAGE}" "${EXAMPLES}/demo-postgres.yaml" "${EXAMPLES}/simulator.yaml" \
    | kc apply -f - >/dev/null
else
  kc apply -f "${EXAMPLES}/demo-postgres.yaml" >/dev/null
  kc apply -f "${EXAMPLES}/simulator.yaml" >/dev/null
fi

jp() { kc -n "${DEMO_NS}" get ccl chopsticks -o jsonpath="$1" 2>/dev/null; }
# kind: every planned Shard Ready with its guilds and a gateway ping (the bot reports it on the first heartbeat ACK,
# within one heartbeat interval, 41.25 s, of READY); sim: the operator has reconciled the plan (kwok runs no bot).
reconciled() {
  local gen obs shards want
  gen="$(jp '{.metadata.generation}')"
  obs="$(jp '{.status.observedGeneration}')"
  want="$(jp '{.status.shards}')"
  shards="$(kc -n "${DEMO_NS}" get shards.chopsticks.dev -o name | wc -l)"
  [[ -n "${obs}" && "${gen}" == "${obs}" && -n "${want}" && "${shards}" -ge "${want}" ]] || return 1
  if [[ "${MODE}" == kind ]]; then
    [[ "$(jp '{.status.readyShards}')" == "${want}" ]] || return 1
    [[ "$(with_ping)" -ge "${want}" ]]
  fi
}
with_ping() {
  kc -n "${DEMO_NS}" get shards.chopsticks.dev -o jsonpath='{range .items[*]}{.status.gatewayPingMs}{"\n"}{end}' | grep -c .
}
# One line: shards Ready, Shard phases and pod states, counted.
count() { sort | uniq -c | awk '{ printf "%s%s %s", sep, $1, ($2 == "" ? "no phase yet" : $2); sep = ", " }'; }
progress() {
  local phases pods
  phases="$(kc -n "${DEMO_NS}" get shards.chopsticks.dev -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' 2>/dev/null | count)"
  pods="$(kc -n "${DEMO_NS}" get pods --no-headers 2>/dev/null | awk '{ print $3 }' | count)"
  log "waiting: $(jp '{.status.readyShards}')/$(jp '{.status.shards}') shards Ready, $(with_ping 2>/dev/null) with a ping (${phases:-no Shard objects yet}); pods: ${pods:-none yet}"
}
operator_alive() {
  [[ "${MODE}" == kind ]] || kill -0 "$(cat "${STATE}/operator.pid")" 2>/dev/null
}
deadline=$((SECONDS + TIMEOUT))
next_progress=$((SECONDS + 10))
until reconciled 2>/dev/null; do
  operator_alive || { tail -30 "${STATE}/logs/operator.log" >&2; die "the operator exited (log ${STATE}/logs/operator.log)"; }
  if ((SECONDS >= deadline)); then
    progress
    die "the sample was not ready within ${TIMEOUT}s (kubectl -n ${DEMO_NS} get pods,shards; hack/down.sh cleans up)"
  fi
  if ((SECONDS >= next_progress)); then
    progress
    next_progress=$((SECONDS + 10))
  fi
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
if [[ "${MODE}" == kind ]]; then
  cat <<EOF
Send a slash command through the simulator and see the bot's reply:
  hack/slash.sh ping
Reshard live (16,000 -> 30,000 guilds: a new generation of 15 shards rolls out, identify-paced):
  kubectl -n ${DEMO_NS} patch chopsticksclusters chopsticks --type merge -p '{"spec":{"guilds":30000}}'
  kubectl -n ${DEMO_NS} get shards -w
EOF
else
  cat <<EOF
  operator log: ${STATE}/logs/operator.log
  Nothing runs the pods on the simulated cluster's kwok nodes, and it says so: they are scheduled but stay Pending
  with reason NoProcess (kubectl -n ${DEMO_NS} get pods). The migrations Job therefore never completes, so the
  operator holds the shard StatefulSet back and the Shards stay Pending. For running bots use UP_MODE=kind.
EOF
fi
echo "Undo everything: hack/down.sh"
