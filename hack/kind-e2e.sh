#!/usr/bin/env bash
# hack/kind-e2e.sh - the portable e2e scenarios on kind: hack/e2e's scenarios tagged "any-cluster", which reach the
# cluster through ClusterEnvironment. The e2e suite (hack/test.sh step 3) runs the same scenarios on the simulated
# cluster; here they run against the deployment of hack/up.sh in kind mode: the chart-installed operator, real
# kubelets and the operator's own PgBouncer, Redis and migrations Job.
#
#   UP_MODE=kind hack/up.sh && hack/kind-e2e.sh [MAVEN ARGS]     e.g. -Dit.test=SampleRolloutE2E
#
# Needs the deployment (its KUBECONFIG is read from hack/up.sh's state unless KUBECONFIG is set) and the modules in
# the local Maven repository (mvn install; hack/test.sh step 1 does it). Reports: hack/e2e/target/kind-failsafe-reports.
# hack/test/kind-quickstart-test.sh runs this on its quick-start deployment.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

STATE="${CHOPSTICKS_UP_DIR:-$(chopsticks_cache_dir)/up}"
[[ "$(cat "${STATE}/mode" 2>/dev/null)" == kind ]] \
  || die "no hack/up.sh deployment in kind mode in ${STATE}: run UP_MODE=kind hack/up.sh first"
if [[ -z "${KUBECONFIG:-}" ]]; then
  KUBECONFIG="$(cat "${STATE}/kubeconfig-path")"
  export KUBECONFIG
fi
JAVA_HOME="$("${HACK_DIR}/java-home.sh")"
export JAVA_HOME PATH="${JAVA_HOME}/bin:${PATH}"
cd "${ROOT}"
log "kind-e2e: the portable scenarios against ${KUBECONFIG}"
exec mvn -B -ntp -pl hack/e2e -Pe2e verify -Dchopsticks.e2e.cluster=kind -De2e.groups=any-cluster \
  -De2e.reports=kind-failsafe-reports "$@"
