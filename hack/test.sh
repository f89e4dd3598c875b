#!/usr/bin/env bash
# The project's test command (README "Run the tests"). Runs every tier and sums up:
#   1. Maven: unit tests (*Test) and integration tests (*IT): real PostgreSQL/PgBouncer/Redis processes and a real
#      kube-apiserver + etcd per test class (tier 2).
#   2. Tooling tests: tools build, Helm chart (offline), ArgoCD health checks, simulator conformance with foreign
#      client libraries (hack/conformance).
#   3. Tier 3 on a simulated cluster (etcd, kube-apiserver, controller-manager, scheduler, kwok):
#      StatefulSet life cycle, the e2e suite (hack/e2e, JUnit tag e2e), chart install and RBAC, the quick start.
#   4. Tier 4 on kind (as root: Docker is installed and started when missing): the quick start exactly as a user runs
#      it, the operator's own PgBouncer, Redis and migrations Job as real pods, a rollout of real bots and the fault
#      scenarios (hack/test/kind-quickstart-test.sh). CHOPSTICKS_KIND_TIER=false skips it; so does not being root.
# Builds the Kubernetes tools first (hack/tools.sh, cached). Extra arguments go to the Maven run of step 1.
# The last line reads "test.sh: N passed, M failed, K skipped" (tests across all tiers).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$PWD"

JAVA_HOME="$(hack/java-home.sh)" || exit 1
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "test.sh: using JDK at $JAVA_HOME"

KIND_TIER="${CHOPSTICKS_KIND_TIER:-auto}"
if [[ "${KIND_TIER}" == auto ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then KIND_TIER=true; else KIND_TIER=false; fi
fi
LOG_DIR="$ROOT/target/test-logs"
rm -rf "$LOG_DIR"; mkdir -p "$LOG_DIR"
if [[ "${KIND_TIER}" == true ]]; then
  # The Debian trees of the kind node and of our images download while the steps below compile and test: network,
  # not CPU. Each build target holds its own lock, so step 4 waits for them rather than starting again.
  (hack/kind/build.sh rootfs && hack/images/build.sh rootfs) >"$LOG_DIR/kind-prefetch.log" 2>&1 &
fi

hack/tools.sh || { echo "test.sh: hack/tools.sh failed"; exit 1; }

# Old JUnit reports would be counted again below.
find . -path '*/target/*-reports' -prune -exec rm -rf {} +
failed_steps=()
shell_passed=0; shell_failed=0

# step NAME CMD...: runs a step, keeps going on failure, remembers it.
step() {
  local name="$1"; shift
  echo "=== test.sh: $name ==="
  local start=$SECONDS
  if "$@"; then
    echo "=== test.sh: $name passed in $((SECONDS - start)) s ==="
  else
    echo "=== test.sh: $name FAILED after $((SECONDS - start)) s ==="
    failed_steps+=("$name")
  fi
}

# shell_suite NAME CMD...: a shell suite that ends with "<name>: N passed, M failed"; counts its tests.
shell_suite() {
  local name="$1"; shift
  local log="$LOG_DIR/$name.log"
  # shellcheck disable=SC2016 # expanded by the inner bash
  step "$name" bash -c '"$@" 2>&1 | tee "$0"; exit "${PIPESTATUS[0]}"' "$log" "$@"
  local line
  line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    shell_passed=$((shell_passed + BASH_REMATCH[1])); shell_failed=$((shell_failed + BASH_REMATCH[2]))
  else
    shell_failed=$((shell_failed + 1))
  fi
}

# 1. Maven: everything but the e2e suite; install so step 3 can run hack/e2e alone.
step "maven" mvn -B -ntp -fae install "$@"

# 2. Tooling tests that need no cluster.
shell_suite lint hack/test/lint-test.sh
shell_suite tools-test hack/test/tools-test.sh
shell_suite argocd-health hack/test/argocd-health-test.sh
shell_suite chart-test-offline env CHART_TEST_SKIP_CLUSTER=true hack/chart-test.sh
# Foreign Discord clients (discord.js, disnake; pinned, installed into a cache on first use) against the simulator.
shell_suite conformance hack/conformance/run.sh

# 3. Tier 3. The StatefulSet life-cycle test brings up and tears down its own cluster; the rest share one.
shell_suite sim-cluster hack/test/sim-cluster-test.sh

export SIM_CLUSTER_DIR="$ROOT/target/sim-cluster"
cleanup() { hack/sim-cluster.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT
if step "sim-cluster up" hack/sim-cluster.sh up; then
  export KUBECONFIG="$SIM_CLUSTER_DIR/kubeconfig"
  step "e2e" mvn -B -ntp -pl hack/e2e -Pe2e verify
  step "pod-runner on the cluster" mvn -B -ntp -pl hack/pod-runner verify
  shell_suite chart-test-cluster hack/chart-test.sh
fi
cleanup
# The quick start (hack/up.sh, then hack/down.sh) on a private simulated cluster of its own.
shell_suite up-down hack/test/chart-test-up-down.sh

# 4. Tier 4: kind. Builds (or reuses) the node image and every image, then the quick start and the scenarios on it.
if [[ "${KIND_TIER}" == true ]]; then
  shell_suite kind-quickstart hack/test/kind-quickstart-test.sh
else
  echo "=== test.sh: kind tier skipped (CHOPSTICKS_KIND_TIER=${CHOPSTICKS_KIND_TIER:-auto}, uid $(id -u)) ==="
fi

# Sum up JUnit results (Surefire and Failsafe reports of every module) and the shell suites.
read -r j_tests j_failed j_skipped < <(python3 - "$ROOT" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/target/*-reports/TEST-*.xml", recursive=True):
    r = ET.parse(f).getroot()
    tests += int(r.get("tests", 0)); skipped += int(r.get("skipped", 0))
    failed += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(tests - failed - skipped, failed, skipped)
PY
)
passed=$((j_tests + shell_passed)); failed=$((j_failed + shell_failed))
if ((${#failed_steps[@]})); then
  echo "test.sh: failed steps: ${failed_steps[*]}"
  ((failed > 0)) || failed=${#failed_steps[@]}
fi
echo "test.sh: $passed passed, $failed failed, $j_skipped skipped"
((${#failed_steps[@]} == 0))
