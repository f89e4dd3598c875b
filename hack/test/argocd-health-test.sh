#!/usr/bin/env bash
# hack/test/argocd-health-test.sh - tests the ArgoCD health checks in hack/argocd/health/ with a real Lua
# interpreter: every case of every health_test.yaml (ArgoCD's resource_customizations layout: sample object in
# testdata/, expected status and message) runs through hack/argocd/health/harness.lua, which gives the script
# the global `obj` and only the libraries ArgoCD opens. lua5.4 is required; lua5.1 (the dialect of ArgoCD's
# gopher-lua) and luajit also run the cases when installed. Also checks that the Lua embedded in
# hack/argocd/argocd-cm.yaml is identical to the .lua files, and that every Shard phase of the CRD is covered.
# Prints "argocd-health: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HEALTH="${ROOT}/hack/argocd/health"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/argocd-health-test.XXXXXX")"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
  local rc=$?
  rm -rf "${TMP}"
  if ((rc != 0 && failed == 0)); then failed=$((failed + 1)); fi
  echo "argocd-health: ${passed} passed, ${failed} failed"
  if ((failed > 0)); then exit 1; fi
  exit "${rc}"
}
trap finish EXIT

# shellcheck source=hack/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
PYTHON="$(python_with_yaml)" || { fail "python3 with PyYAML not found (apt-get install python3-yaml)"; exit 1; }
command -v lua5.4 >/dev/null || { fail "lua5.4 not found (apt-get install lua5.4)"; exit 1; }

# health_test.yaml files -> one Lua file returning all cases (objects as Lua table literals, as ArgoCD
# converts the object's JSON: maps -> tables, lists -> 1-based arrays, numbers, strings, booleans).
"${PYTHON}" - "${HEALTH}" "${TMP}/cases.lua" <<'PY'
import glob, os, sys, yaml

class Loader(yaml.SafeLoader):
    pass
# Kubernetes serves timestamps as strings: keep them strings.
Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != 'tag:yaml.org,2002:timestamp']
                                  for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}

def lua(v):
    if v is None:
        return 'nil'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        out = []
        for b in v.encode('utf-8'):
            c = chr(b)
            if c in '"\\':
                out.append('\\' + c)
            elif b < 32 or b == 127:
                out.append('\\%03d' % b)
            else:
                out.append(c if b < 128 else '\\%03d' % b)
        return '"' + ''.join(out) + '"'
    if isinstance(v, list):
        return '{' + ', '.join(lua(x) for x in v) + '}'
    if isinstance(v, dict):
        return '{' + ', '.join('[%s] = %s' % (lua(k), lua(x)) for k, x in v.items()) + '}'
    raise TypeError(type(v))

root, out = sys.argv[1], sys.argv[2]
cases = []
for test_file in sorted(glob.glob(os.path.join(root, '*', '*', 'health_test.yaml'))):
    d = os.path.dirname(test_file)
    kind = os.path.relpath(d, root)
    script = os.path.join(d, 'health.lua')
    for t in yaml.load(open(test_file), Loader=Loader)['tests']:
        obj = yaml.load(open(os.path.join(d, t['inputPath'])), Loader=Loader)
        want = t['healthStatus']
        cases.append('{name = %s, script = %s, obj = %s, status = %s, message = %s}' % (
            lua(kind + ' ' + os.path.basename(t['inputPath'])), lua(script), lua(obj),
            lua(want['status']), lua(want.get('message'))))
with open(out, 'w') as f:
    f.write('return {\n  ' + ',\n  '.join(cases) + '\n}\n')
print('argocd-health: %d cases from %s' % (len(cases), root))
PY

# Run every case under each interpreter present (lua5.4 always).
ncases="$(grep -c '^  {name = ' "${TMP}/cases.lua" || true)"
for lua in lua5.4 lua5.1 luajit; do
  command -v "${lua}" >/dev/null || continue
  rc=0
  (cd "${HEALTH}" && "${lua}" harness.lua "${TMP}/cases.lua") >"${TMP}/out.txt" 2>&1 || rc=$?
  seen=0
  while IFS= read -r line; do
    case "${line}" in
      PASS\ *) pass "[${lua}] ${line#PASS }"; seen=$((seen + 1)) ;;
      FAIL\ *) fail "[${lua}] ${line#FAIL }"; seen=$((seen + 1)) ;;
      *) echo "${line}" ;;
    esac
  done <"${TMP}/out.txt"
  # A harness crash (bad cases file, interpreter error) must not pass silently.
  if ((seen != ncases)) || { ((rc != 0)) && ! grep -q '^FAIL ' "${TMP}/out.txt"; }; then
    fail "[${lua}] harness ran ${seen} of ${ncases} cases (exit ${rc})"
  fi
done

# The harness itself catches a wrong expectation (a test of the test).
sed 's/status = "Healthy"/status = "Degraded"/' "${TMP}/cases.lua" >"${TMP}/wrong.lua"
if (cd "${HEALTH}" && lua5.4 harness.lua "${TMP}/wrong.lua") >"${TMP}/wrong.txt" 2>&1; then
  fail "harness reports a wrong expected status as a failure"
elif grep -q '^FAIL .*ready.yaml: status Healthy' "${TMP}/wrong.txt"; then
  pass "harness reports a wrong expected status as a failure"
else
  fail "harness reports a wrong expected status as a failure: $(head -3 "${TMP}/wrong.txt")"
fi

# Every phase in the Shard CRD's enum has a case, and so does every ChopsticksCluster phase.
coverage() {
  local kind="$1" crd="$2"
  "${PYTHON}" - "${ROOT}/crds/${crd}" "${HEALTH}/chopsticks.dev/${kind}" <<'PY'
import glob, os, sys, yaml
crd = yaml.safe_load(open(sys.argv[1]))
phases = set(crd['spec']['versions'][0]['schema']['openAPIV3Schema']['properties']['status']['properties']['phase']['enum'])
seen = set()
for f in glob.glob(os.path.join(sys.argv[2], 'testdata', '*.yaml')):
    o = yaml.safe_load(open(f))
    p = (o.get('status') or {}).get('phase')
    if p:
        seen.add(p)
missing = sorted(phases - seen)
if missing:
    print('phases without a test case: ' + ', '.join(missing))
    sys.exit(1)
PY
}
for pair in "Shard shards.chopsticks.dev.yaml" "ChopsticksCluster chopsticksclusters.chopsticks.dev.yaml"; do
  read -r kind crd <<<"${pair}"
  if msg="$(coverage "${kind}" "${crd}" 2>&1)"; then
    pass "every ${kind} phase of the CRD has a test case"
  else
    fail "every ${kind} phase of the CRD has a test case: ${msg}"
  fi
done

# argocd-cm.yaml embeds exactly the .lua files.
if msg="$("${PYTHON}" - "${ROOT}/hack/argocd/argocd-cm.yaml" "${HEALTH}" <<'PY'
import sys, yaml
cm = yaml.safe_load(open(sys.argv[1]))
bad = []
for kind in ('ChopsticksCluster', 'Shard'):
    key = 'resource.customizations.health.chopsticks.dev_' + kind
    want = open('%s/chopsticks.dev/%s/health.lua' % (sys.argv[2], kind)).read()
    if cm['data'].get(key) != want:
        bad.append(key)
if bad:
    print('differs from health.lua: ' + ', '.join(bad))
    sys.exit(1)
PY
)"; then
  pass "argocd-cm.yaml embeds the current health.lua files"
else
  fail "argocd-cm.yaml embeds the current health.lua files: ${msg}"
fi
