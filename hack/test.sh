#!/usr/bin/env bash
# The project's test command (README "Run the tests"): unit tests, real-API-server (tier 2) and
# simulated-cluster (tier 3) tests. Builds the Kubernetes control-plane tools first (cached).
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="$(hack/java-home.sh)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
echo "test.sh: using JDK at $JAVA_HOME"

if [[ -x hack/tools.sh ]]; then
  hack/tools.sh
fi

mvn -B -ntp verify "$@"
