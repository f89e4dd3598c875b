#!/usr/bin/env bash
# hack/test/lint-test.sh - every shell script in the repository passes `bash -n` and `shellcheck -x` (the kind
# path included), the GitHub workflows are valid YAML with the keys a workflow needs, and
# Java sources use imports rather than inline fully qualified names.
# Prints "lint: N passed, M failed" last; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

passed=0
failed=0
check() {
  local name="$1"
  shift
  if "$@"; then passed=$((passed + 1)); echo "PASS ${name}"; else failed=$((failed + 1)); echo "FAIL ${name}"; fi
}

mapfile -t scripts < <(git ls-files '*.sh' .ci/run)
for script in "${scripts[@]}"; do
  check "bash -n ${script}" bash -n "${script}"
  check "shellcheck ${script}" shellcheck -x "${script}"
done

# shellcheck source=hack/lib/common.sh
source hack/lib/common.sh
PYTHON="$(python_with_yaml)" || PYTHON=""
workflow_ok() {
  [[ -n "${PYTHON}" ]] || { echo "python3 with PyYAML not found (apt-get install python3-yaml)"; return 1; }
  "${PYTHON}" - "$1" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
# PyYAML reads the key "on" as True.
assert isinstance(doc, dict) and "jobs" in doc and ("on" in doc or True in doc), "not a workflow"
for name, job in doc["jobs"].items():
    assert "runs-on" in job and "steps" in job, f"job {name} lacks runs-on or steps"
PY
}
mapfile -t workflows < <(git ls-files '.github/workflows/*.yml' '.github/workflows/*.yaml')
for workflow in "${workflows[@]}"; do
  check "workflow ${workflow}" workflow_ok "${workflow}"
done

# Java names are imported, not spelled out inline (the formatter sorts imports but cannot enforce this).
no_inline_fqn() {
  local hits
  hits=$(git ls-files '*.java' | xargs grep -nE '^[^/*"]*[^."[:alnum:]_](java|javax|dev|io|org|com|net)\.([a-z0-9_]+\.)+[A-Z][A-Za-z0-9_]*' \
    | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(import|package) ')
  [[ -z "${hits}" ]] || { echo "${hits}"; echo "inline fully qualified names: import them"; return 1; }
}
check "no inline fully qualified Java names" no_inline_fqn

echo "lint: ${passed} passed, ${failed} failed"
((failed == 0))
