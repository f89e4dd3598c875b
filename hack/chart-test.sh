#!/usr/bin/env bash
# hack/chart-test.sh - tests of charts/chopsticks-operator, the ArgoCD files and the observability assets.
#
# Offline (always):
#   - the chart's crds/ are byte-identical copies of the generated top-level crds/*.yaml
#   - values.schema.json and files/grafana-dashboard.json match their generators (charts/tools/)
#   - helm lint (default and every edge values file, --strict)
#   - helm template with default and edge values (hack/test/chart-test-values/: namespace-scoped, monitoring,
#     single replica, overrides) and assertions on the output (hack/test/chart-test-checks.py)
#   - helm template FAILS, with the expected message, for each bad values file (hack/test/chart-test-bad-values/)
#   - alert and dashboard expressions use only the metrics of hack/test/chart-test-metrics.txt
#   - examples validate against the CRD schema; ArgoCD manifests are consistent (waves, paths, options)
#   - all YAML parses and passes yamllint; the scripts pass shellcheck; the ArgoCD Lua health checks pass
#     (hack/test/argocd-health-test.sh)
# With a cluster (KUBECONFIG set, e.g. from `hack/sim-cluster.sh up`; or CHART_TEST_SIM=true to start a private
# simulated cluster in a temp dir and stop it afterwards):
#   - helm install -> CRDs installed and Established, operator pods created and scheduled on (kwok) nodes
#   - server-side dry-run of every rendered scenario and of the examples (real CRD validation, CEL included)
#   - the chart's RBAC, impersonating the operator's ServiceAccount: what it may and may not do, including the
#     RBAC escalation check when it creates the bot Role; namespace-scoped mode confined to its namespaces
#   - helm upgrade, helm uninstall (operator objects gone, CRDs kept)
# Prints "chart-test: N passed, M failed" last; exits non-zero on any failure.
#
# Environment: HELM (helm binary; default: hack/tools.sh's, else PATH, else hack/tools.sh builds it),
# KUBECONFIG, CHART_TEST_SIM=true, CHART_TEST_SKIP_CLUSTER=true, CHART_TEST_TIMEOUT (s, default 120),
# CHART_TEST_OPERATOR_JAR (default operator/target/chopsticks-operator.jar if built), CHART_TEST_ARTIFACTS
# (where logs of failed operator runs go, default target/chart-test).
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "${HACK_DIR}/.." && pwd)"
# shellcheck source=hack/lib/common.sh
source "${HACK_DIR}/lib/common.sh"

CHART="${ROOT}/charts/chopsticks-operator"
TESTS="${HACK_DIR}/test"
CHECKS="${TESTS}/chart-test-checks.py"
TIMEOUT="${CHART_TEST_TIMEOUT:-120}"
ARTIFACTS="${CHART_TEST_ARTIFACTS:-${ROOT}/target/chart-test}"   # logs of failed operator runs
TMP="$(mktemp -d "${TMPDIR:-/tmp}/chart-test.XXXXXX")"
# Keep helm's caches and config out of the developer's home.
export HELM_CACHE_HOME="${TMP}/helm/cache" HELM_CONFIG_HOME="${TMP}/helm/config" HELM_DATA_HOME="${TMP}/helm/data"

passed=0
failed=0
CLEANUP=()
check() { # check NAME COMMAND... : run one check, count it, show its output on failure
  local name="$1" out rc=0
  shift
  out="$("$@" 2>&1)" || rc=$?
  if ((rc == 0)); then
    passed=$((passed + 1))
    echo "PASS ${name}"
  else
    failed=$((failed + 1))
    echo "FAIL ${name}"
    # (|| true: head closing the pipe early must not stop the script under pipefail)
    [[ -z "${out}" ]] || printf '%s\n' "${out}" | head -n 40 | sed 's/^/    /' || true
  fi
}
finish() {
  local rc=$? i
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[i]}" >/dev/null 2>&1 || true; done
  rm -rf "${TMP}"
  if ((rc != 0 && failed == 0)); then failed=$((failed + 1)); fi
  echo "chart-test: ${passed} passed, ${failed} failed"
  if ((failed > 0)); then exit 1; fi
  exit "${rc}"
}
trap finish EXIT

# ------------------------------------------------------------------------------------------- tools ------
PYTHON="$(python_with_yaml)" || die "python3 with PyYAML not found (apt-get install python3-yaml)"

TOOLS_BIN="$(chopsticks_tools_dir)/bin"
if [[ -z "${HELM:-}" ]]; then
  if [[ -x "${TOOLS_BIN}/helm" ]]; then
    HELM="${TOOLS_BIN}/helm"
  elif command -v helm >/dev/null; then
    HELM="$(command -v helm)"
  else
    log "helm not found; building it with hack/tools.sh helm"
    "${HACK_DIR}/tools.sh" helm
    HELM="${TOOLS_BIN}/helm"
  fi
fi
KUBECTL="${KUBECTL:-}"
if [[ -z "${KUBECTL}" ]]; then
  if [[ -x "${TOOLS_BIN}/kubectl" ]]; then KUBECTL="${TOOLS_BIN}/kubectl"; else KUBECTL="$(command -v kubectl || true)"; fi
fi
log "helm ${HELM} ($("${HELM}" version --short 2>/dev/null)), kubectl ${KUBECTL:-none}"

tpl() { "${HELM}" template t "${CHART}" --namespace chart-test "$@"; }

# ------------------------------------------------------------------------------ offline: sources ------
crds_identical() {
  local f base rc=0
  for f in "${ROOT}"/crds/*.chopsticks.dev.yaml; do
    base="$(basename "$f")"
    if ! cmp -s "$f" "${CHART}/crds/${base}"; then
      echo "charts/chopsticks-operator/crds/${base} differs from crds/${base}: cp crds/*.chopsticks.dev.yaml charts/chopsticks-operator/crds/"
      rc=1
    fi
  done
  for f in "${CHART}"/crds/*; do
    [[ -f "${ROOT}/crds/$(basename "$f")" ]] || { echo "extra file in the chart's crds/: $(basename "$f")"; rc=1; }
  done
  return "${rc}"
}
check "chart crds/ are identical copies of the generated crds/*.yaml" crds_identical

generated_current() { # generated_current GENERATOR OUTPUT
  "${PYTHON}" "$1" >"${TMP}/gen.out" || return 1
  cmp -s "${TMP}/gen.out" "$2" || { echo "$2 is stale: python3 ${1#"${ROOT}"/} > ${2#"${ROOT}"/}"; diff "${TMP}/gen.out" "$2" | head -20; return 1; }
}
check "values.schema.json matches charts/tools/gen-schema.py" generated_current "${ROOT}/charts/tools/gen-schema.py" "${CHART}/values.schema.json"
check "grafana-dashboard.json matches charts/tools/gen-dashboard.py" generated_current "${ROOT}/charts/tools/gen-dashboard.py" "${CHART}/files/grafana-dashboard.json"

chart_versions() {
  "${PYTHON}" - "${CHART}/Chart.yaml" "${CHART}/values.yaml" "${ROOT}/pom.xml" <<'PY'
import re, sys, yaml
chart, values = yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2]))
pom = open(sys.argv[3]).read()
m = re.search(r'<artifactId>chopsticks-parent</artifactId>\s*<version>([^<]+)</version>', pom)
project = m.group(1).replace('-SNAPSHOT', '') if m else None
bad = []
if chart.get('apiVersion') != 'v2': bad.append('apiVersion must be v2')
if project and chart['version'] != project: bad.append('version %s != project %s' % (chart['version'], project))
if project and chart['appVersion'] != project: bad.append('appVersion %s != project %s' % (chart['appVersion'], project))
for k, repo in (('image', 'chopsticks/operator'),):
    if values[k]['repository'] != repo or values[k]['tag'] != '': bad.append('%s must be %s with tag = appVersion' % (k, repo))
for k, repo in (('botRuntime', 'chopsticks/bot-runtime'), ('discordSim', 'chopsticks/discord-sim')):
    if values['relatedImages'][k]['repository'] != repo or values['relatedImages'][k]['tag'] != '':
        bad.append('relatedImages.%s must be %s with tag = appVersion' % (k, repo))
print('\n'.join(bad)); sys.exit(1 if bad else 0)
PY
}
check "Chart.yaml v2, version/appVersion = project version, image names" chart_versions

# ------------------------------------------------------------------------------ offline: helm -------
check "helm lint --strict (default values)" "${HELM}" lint --strict "${CHART}"
for f in "${TESTS}"/chart-test-values/*.yaml; do
  check "helm lint --strict -f $(basename "$f")" "${HELM}" lint --strict "${CHART}" -f "$f"
done

render_and_check() { # render_and_check SCENARIO [HELM ARGS...]
  local scenario="$1"
  shift
  tpl "$@" >"${TMP}/${scenario}.yaml" && "${PYTHON}" "${CHECKS}" render "${scenario}" "${TMP}/${scenario}.yaml"
}
check "helm template: default values" render_and_check default
for s in namespace-scoped monitoring single-replica overrides; do
  check "helm template: ${s}" render_and_check "${s}" -f "${TESTS}/chart-test-values/${s}.yaml"
done
check "helm template: 63-character fullnameOverride (names and the Lease stay DNS labels)" \
  render_and_check long-name --set "fullnameOverride=$(printf 'x%.0s' {1..63})"
# (grep reads a here-string, not a pipe: under pipefail an early-exiting grep -q can fail the pipe)
cli_one_replica() { grep -q '^  replicas: 1$' <<<"$(tpl --set replicaCount=1 --set leaderElection.enabled=false)"; }
check "helm template: --set replicaCount=1,leaderElection.enabled=false (CLI values)" cli_one_replica

# schema_error_names OUTPUT PATH [WORD]: helm's schema error names the value at PATH (dotted, "-" for the root)
# and mentions WORD. Helm < 3.18 writes "- image.tag: ...", later ones "- at '/image/tag': ...".
schema_error_names() {
  local out="$1" path="$2" word="${3:-}"
  if [[ "${path}" != - ]]; then
    grep -qF -- "- ${path}:" <<<"${out}" || grep -qF -- "at '/${path//.//}'" <<<"${out}" || return 1
  fi
  [[ -z "${word}" ]] || grep -qiF -- "${word}" <<<"${out}"
}
bad_values() { # every bad values file makes helm template fail, naming the value on its "# expect: PATH [WORD]" line
  local f want out rc=0 path word
  for f in "${TESTS}"/chart-test-bad-values/*.yaml; do
    want="$(sed -n '1s/^# expect: //p' "$f")"
    [[ -n "${want}" ]] || { echo "$(basename "$f"): no '# expect:' line"; rc=1; continue; }
    read -r path word <<<"${want}"
    if out="$(tpl -f "$f" 2>&1)"; then
      echo "$(basename "$f"): helm template succeeded, want a schema failure at ${path}"
      rc=1
    elif ! grep -q "values don't meet the specifications of the schema" <<<"${out}" ||
      ! schema_error_names "${out}" "${path}" "${word}"; then
      echo "$(basename "$f"): failed, but not with a schema error at ${path} ${word:+mentioning ${word}}:"
      printf '%s\n' "${out}" | head -5 || true
      rc=1
    fi
  done
  return "${rc}"
}
check "values.schema.json rejects all $(find "${TESTS}/chart-test-bad-values" -name '*.yaml' | wc -l) bad values files" bad_values

check "alerts and dashboard use only the metric contract" \
  "${PYTHON}" "${CHECKS}" metrics "${TESTS}/chart-test-metrics.txt" "${TMP}/monitoring.yaml" "${CHART}/files/grafana-dashboard.json"
if [[ -f "${ROOT}/operator/deploy/rbac.yaml" ]]; then
  check "chart RBAC = operator/deploy/rbac.yaml (the operator's proven reference) + documented extras" \
    "${PYTHON}" "${CHECKS}" reference "${ROOT}/operator/deploy/rbac.yaml" "${TMP}/default.yaml"
fi
check "examples validate against the CRD schemas" "${PYTHON}" "${CHECKS}" examples "${ROOT}/crds" "${CHART}/examples"
check "ArgoCD manifests: waves, paths, sync options" "${PYTHON}" "${CHECKS}" argocd "${ROOT}"

mapfile -t SOURCE_YAML < <(find "${CHART}" "${ROOT}/hack/argocd" "${TESTS}/chart-test-values" "${TESTS}/chart-test-bad-values" \
  -name '*.yaml' -not -path "${CHART}/templates/*" | sort)
mapfile -t RENDERED_YAML < <(find "${TMP}" -maxdepth 1 -name '*.yaml' | sort)
check "all YAML parses (${#SOURCE_YAML[@]} files + ${#RENDERED_YAML[@]} renders)" "${PYTHON}" "${CHECKS}" yaml "${SOURCE_YAML[@]}" "${RENDERED_YAML[@]}"
if command -v yamllint >/dev/null; then
  check "yamllint (sources)" yamllint -s -d '{extends: relaxed, rules: {line-length: {max: 200}}}' "${SOURCE_YAML[@]}"
  check "yamllint (rendered manifests)" yamllint -s -d '{extends: relaxed, rules: {line-length: disable, indentation: disable}}' "${RENDERED_YAML[@]}"
else
  check "yamllint installed (apt-get install yamllint)" false
fi
if command -v shellcheck >/dev/null; then
  check "shellcheck (chart-test, argocd-health-test, up, down, up-down test)" \
    shellcheck -x "${HACK_DIR}/chart-test.sh" "${TESTS}/argocd-health-test.sh" "${HACK_DIR}/up.sh" "${HACK_DIR}/down.sh" \
    "${TESTS}/chart-test-up-down.sh"
else
  check "shellcheck installed (apt-get install shellcheck)" false
fi
check "ArgoCD Lua health checks (hack/test/argocd-health-test.sh)" "${TESTS}/argocd-health-test.sh"

# ---------------------------------------------------------------------------------- cluster ---------
if [[ "${CHART_TEST_SKIP_CLUSTER:-false}" == "true" ]]; then
  log "CHART_TEST_SKIP_CLUSTER=true: skipping the cluster tests"
  exit 0
fi
if [[ -z "${KUBECONFIG:-}" && "${CHART_TEST_SIM:-false}" == "true" ]]; then
  export SIM_CLUSTER_DIR="${TMP}/sim"
  # Own ports away from sim-cluster.sh's defaults, so a developer's cluster starting at the same time does not race
  # us for them.
  port=$((29000 + RANDOM % 1500))  # below the ephemeral port range (32768+)
  for var in SIM_ETCD_PORT SIM_ETCD_PEER_PORT SIM_APISERVER_PORT SIM_KCM_PORT SIM_SCHEDULER_PORT; do
    while [[ -n "$(ss -Htln "sport = :${port}" 2>/dev/null)" ]]; do port=$((port + 1)); done
    export "${var}=${port}"
    port=$((port + 1))
  done
  log "CHART_TEST_SIM=true: starting a private simulated cluster in ${SIM_CLUSTER_DIR}"
  CLEANUP+=("SIM_CLUSTER_DIR='${SIM_CLUSTER_DIR}' '${HACK_DIR}/sim-cluster.sh' down")
  "${HACK_DIR}/sim-cluster.sh" up >&2
  export KUBECONFIG="${SIM_CLUSTER_DIR}/kubeconfig"
  # Our own throwaway cluster: add stand-ins for the Prometheus Operator CRDs (schema-less), so the ServiceMonitor
  # and PrometheusRule objects are dry-run too and the operator takes its ServiceMonitor path under our RBAC.
  for crd in servicemonitors:ServiceMonitor prometheusrules:PrometheusRule; do
    "${KUBECTL:-kubectl}" apply -f - >/dev/null <<EOF
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${crd%%:*}.monitoring.coreos.com}
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: {plural: ${crd%%:*}, kind: ${crd#*:}, singular: $(tr '[:upper:]' '[:lower:]' <<<"${crd#*:}")}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
EOF
  done
  "${KUBECTL:-kubectl}" wait --for=condition=Established crd/servicemonitors.monitoring.coreos.com \
    crd/prometheusrules.monitoring.coreos.com --timeout=60s >/dev/null
fi
if [[ -z "${KUBECONFIG:-}" ]]; then
  log "no KUBECONFIG (and CHART_TEST_SIM is not true): skipping the cluster tests (run hack/sim-cluster.sh up first)"
  exit 0
fi
[[ -n "${KUBECTL}" ]] || die "kubectl not found"
kc() { "${KUBECTL}" "$@"; }
check "cluster reachable (KUBECONFIG=${KUBECONFIG})" kc get --raw /readyz
((failed == 0)) || exit 1

SUFFIX="$(tr -dc 'a-z0-9' </dev/urandom | head -c 5 || true)"
NS="chart-test-${SUFFIX}"   # release namespace
WNS="${NS}-w"               # a watched namespace (namespace-scoped mode)
REL="ct-${SUFFIX}"          # cluster-wide release
REL_NS="ctn-${SUFFIX}"      # namespace-scoped release
SA="system:serviceaccount:${NS}:${REL}-chopsticks-operator"
SA_NS="system:serviceaccount:${NS}:${REL_NS}-chopsticks-operator"
LEASE="${REL}-chopsticks-operator-leader"
CLEANUP+=("'${KUBECTL}' delete namespace '${NS}' '${WNS}' --wait=false")
CLEANUP+=("'${HELM}' uninstall '${REL}' -n '${NS}' --wait=false")
CLEANUP+=("'${HELM}' uninstall '${REL_NS}' -n '${NS}' --wait=false")
kc create namespace "${NS}" >/dev/null
kc create namespace "${WNS}" >/dev/null
# Pods need the namespace's default ServiceAccount token controller to be done (for the examples' dry-run).
wait_for "ServiceAccount default in ${NS}" 60 1 kc -n "${NS}" get serviceaccount default || true

install_release() {
  "${HELM}" install "${REL}" "${CHART}" -n "${NS}" >/dev/null || return 1
  [[ "$("${HELM}" status "${REL}" -n "${NS}" -o json | "${PYTHON}" -c 'import json,sys; print(json.load(sys.stdin)["info"]["status"])')" == deployed ]]
}
check "helm install ${REL} (default values) -> deployed" install_release

crds_established() {
  local c
  for c in chopsticksclusters.chopsticks.dev shards.chopsticks.dev; do
    kc wait --for=condition=Established "crd/${c}" --timeout=60s >/dev/null || { echo "crd/${c} not Established"; return 1; }
  done
}
check "CRDs installed by the chart and Established" crds_established

pods_scheduled() { # both operator pods exist and are bound to a node (kwok nodes run no containers)
  local deadline=$((SECONDS + TIMEOUT)) out
  while ((SECONDS < deadline)); do
    out="$(kc -n "${NS}" get pods -l "app.kubernetes.io/instance=${REL},app.kubernetes.io/component=operator" \
      -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.nodeName}{"\n"}{end}' 2>/dev/null || true)"
    if [[ "$(awk 'NF == 2' <<<"${out}" | wc -l)" -eq 2 ]]; then
      log "operator pods scheduled: $(tr '\n' ' ' <<<"${out}")"
      return 0
    fi
    sleep 1
  done
  echo "operator pods not scheduled within ${TIMEOUT}s:"
  kc -n "${NS}" get pods -o wide
  kc -n "${NS}" get events --sort-by=.lastTimestamp | tail -10
  return 1
}
check "operator Deployment's 2 pods created and scheduled on nodes" pods_scheduled

pods_restricted() { # the pods' specs as stored by the API server still carry the restricted security settings
  kc -n "${NS}" get pods -l "app.kubernetes.io/instance=${REL}" -o json | "${PYTHON}" -c '
import json, sys
bad = []
for p in json.load(sys.stdin)["items"]:
    s = p["spec"]; c = s["containers"][0]; sc = c.get("securityContext", {})
    if not (s["securityContext"].get("runAsNonRoot") and sc.get("readOnlyRootFilesystem")
            and sc.get("allowPrivilegeEscalation") is False and sc["capabilities"]["drop"] == ["ALL"]
            and s["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"):
        bad.append(p["metadata"]["name"])
print(" ".join(bad)); sys.exit(1 if bad else 0)'
}
check "operator pods stored with restricted security context" pods_restricted
# The Pod Security admission "restricted" level accepts the operator pod (server-side dry-run in a labelled ns).
psa_restricted() {
  # enforce applies to pods, warn also to workload templates: a violation shows as "would violate PodSecurity".
  local out
  kc label namespace "${WNS}" pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/warn=restricted \
    --overwrite >/dev/null || return 1
  tpl --namespace "${WNS}" --show-only templates/deployment.yaml >"${TMP}/psa.yaml" || return 1
  out="$(kc apply --dry-run=server -n "${WNS}" -f "${TMP}/psa.yaml" 2>&1)" || { echo "${out}"; return 1; }
  if grep -qi 'violate' <<<"${out}"; then echo "${out}"; return 1; fi
}
check "operator Deployment passes Pod Security Standard 'restricted' admission" psa_restricted

dry_run() { # dry_run SCENARIO HELM-ARGS... : server-side dry-run of the rendered manifests
  local scenario="$1"
  shift
  "${HELM}" template "dry-${SUFFIX}" "${CHART}" --namespace "${NS}" "$@" >"${TMP}/dry-${scenario}.yaml" || return 1
  # No Prometheus Operator CRDs on the simulated cluster: ServiceMonitor/PrometheusRule only when they exist.
  if ! kc get crd servicemonitors.monitoring.coreos.com prometheusrules.monitoring.coreos.com >/dev/null 2>&1; then
    "${PYTHON}" - "${TMP}/dry-${scenario}.yaml" <<'PY' || return 1
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d['kind'] not in ('ServiceMonitor', 'PrometheusRule')]
yaml.safe_dump_all(docs, open(sys.argv[1], 'w'))
PY
  fi
  kc apply --dry-run=server -f "${TMP}/dry-${scenario}.yaml" >/dev/null
}
check "server-side dry-run: default" dry_run default
check "server-side dry-run: namespace-scoped" dry_run namespace-scoped --set "watchNamespaces={${WNS}}"
check "server-side dry-run: monitoring" dry_run monitoring -f "${TESTS}/chart-test-values/monitoring.yaml" --set "grafanaDashboard.namespace=${NS}"
check "server-side dry-run: single-replica" dry_run single-replica -f "${TESTS}/chart-test-values/single-replica.yaml"
check "server-side dry-run: overrides" dry_run overrides -f "${TESTS}/chart-test-values/overrides.yaml"

examples_dry_run() { # the examples, moved into the test namespace (their own Namespace objects left out)
  "${PYTHON}" - "${CHART}/examples" "${WNS}" "${TMP}/examples.yaml" <<'PY' || return 1
import glob, sys, yaml
out = []
for f in sorted(glob.glob(sys.argv[1] + '/*.yaml')):
    for d in yaml.safe_load_all(open(f)):
        if not d or d['kind'] == 'Namespace':
            continue
        d['metadata']['namespace'] = sys.argv[2]
        out.append(d)
yaml.safe_dump_all(out, open(sys.argv[3], 'w'))
PY
  local out
  out="$(kc apply --dry-run=server -n "${WNS}" -f "${TMP}/examples.yaml" 2>&1)" || { echo "${out}"; return 1; }
  if grep -v '(server dry run)$' <<<"${out}"; then return 1; fi
}
check "server-side dry-run: examples (real CRD validation)" examples_dry_run

invalid_cr_rejected() { # the API server (not only our offline schema check) rejects a bad ChopsticksCluster
  local out
  out="$(kc apply --dry-run=server -f - 2>&1 <<EOF
apiVersion: chopsticks.dev/v1alpha1
kind: ChopsticksCluster
metadata: {name: bad, namespace: ${NS}}
spec:
  guilds: 16000
  sharding: {shards: 2}
  bot: {image: chopsticks/bot-runtime:0.1.0, discordToken: {name: discord, key: token}}
  postgres: {connectionSecret: chopsticks-db}
EOF
)" && { echo "accepted: ${out}"; return 1; }
  grep -q 'sharding.shards is too few' <<<"${out}" || { echo "${out}"; return 1; }
}
check "installed CRD rejects an invalid ChopsticksCluster (CEL rule)" invalid_cr_rejected

# ---- RBAC of the chart's ServiceAccount, by impersonation ----
can() { # can SUBJECT VERB RESOURCE [ARGS...] -> prints yes/no
  kc auth can-i --as "$1" "${@:2}" 2>/dev/null || true
}
sar() { # sar SUBJECT VERB GROUP RESOURCE NAMESPACE -> true/false (a SubjectAccessReview, no discovery needed)
  kc create -o jsonpath='{.status.allowed}' -f - <<EOF 2>/dev/null || echo error
apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: "$1"
  groups: ["system:serviceaccounts", "system:serviceaccounts:${NS}", "system:authenticated"]
  resourceAttributes: {verb: "$2", group: "$3", resource: "$4", namespace: "$5"}
EOF
}
rbac_expect() { # rbac_expect SUBJECT yes|no VERB RESOURCE [ARGS...]
  local subject="$1" want="$2" got
  shift 2
  got="$(can "${subject}" "$@")"
  [[ "${got}" == "${want}" ]] || { echo "can-i $* as ${subject##*:}: ${got:-error}, want ${want}"; return 1; }
}
rbac_cluster_wide() {
  local rc=0 s="${SA}"
  rbac_expect "$s" yes list chopsticksclusters.chopsticks.dev -A || rc=1
  rbac_expect "$s" yes watch chopsticksclusters.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" yes patch chopsticksclusters.chopsticks.dev --subresource=status -n "${WNS}" || rc=1
  rbac_expect "$s" no patch chopsticksclusters.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" no update chopsticksclusters.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" yes create shards.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" yes delete shards.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" yes patch shards.chopsticks.dev --subresource=status -n "${WNS}" || rc=1
  rbac_expect "$s" yes create statefulsets.apps -n "${WNS}" || rc=1
  rbac_expect "$s" yes patch deployments.apps -n "${WNS}" || rc=1
  rbac_expect "$s" yes create secrets -n "${WNS}" || rc=1
  rbac_expect "$s" no list persistentvolumeclaims -A || rc=1
  rbac_expect "$s" yes delete pods -n "${WNS}" || rc=1
  rbac_expect "$s" no create pods -n "${WNS}" || rc=1
  rbac_expect "$s" no create pods/exec -n "${WNS}" || rc=1
  rbac_expect "$s" yes create events -n "${WNS}" || rc=1
  rbac_expect "$s" yes create jobs.batch -n "${WNS}" || rc=1
  rbac_expect "$s" yes create poddisruptionbudgets.policy -n "${WNS}" || rc=1
  rbac_expect "$s" yes create networkpolicies.networking.k8s.io -n "${WNS}" || rc=1
  rbac_expect "$s" yes create roles.rbac.authorization.k8s.io -n "${WNS}" || rc=1
  rbac_expect "$s" yes create rolebindings.rbac.authorization.k8s.io -n "${WNS}" || rc=1
  rbac_expect "$s" no create clusterroles.rbac.authorization.k8s.io || rc=1
  rbac_expect "$s" no escalate roles.rbac.authorization.k8s.io -n "${WNS}" || rc=1
  rbac_expect "$s" no bind roles.rbac.authorization.k8s.io -n "${WNS}" || rc=1
  # kubectl auth can-i needs discovery to know a resource; the ServiceMonitor CRD may be absent: ask directly.
  [[ "$(sar "$s" create monitoring.coreos.com servicemonitors "${WNS}")" == true ]] ||
    { echo "create servicemonitors.monitoring.coreos.com not allowed"; rc=1; }
  [[ "$(sar "$s" create monitoring.coreos.com prometheusrules "${WNS}")" == false ]] ||
    { echo "create prometheusrules.monitoring.coreos.com allowed"; rc=1; }
  rbac_expect "$s" yes get customresourcedefinitions.apiextensions.k8s.io/servicemonitors.monitoring.coreos.com || rc=1
  rbac_expect "$s" no get customresourcedefinitions.apiextensions.k8s.io/other.example.com || rc=1
  rbac_expect "$s" no list customresourcedefinitions.apiextensions.k8s.io || rc=1
  rbac_expect "$s" yes get "leases.coordination.k8s.io/${LEASE}" -n "${NS}" || rc=1
  rbac_expect "$s" yes update "leases.coordination.k8s.io/${LEASE}" -n "${NS}" || rc=1
  rbac_expect "$s" yes patch "leases.coordination.k8s.io/${LEASE}" -n "${NS}" || rc=1
  rbac_expect "$s" yes create leases.coordination.k8s.io -n "${NS}" || rc=1
  rbac_expect "$s" no update leases.coordination.k8s.io/someone-else -n "${NS}" || rc=1
  rbac_expect "$s" no update "leases.coordination.k8s.io/${LEASE}" -n "${WNS}" || rc=1
  rbac_expect "$s" no get nodes || rc=1
  rbac_expect "$s" no delete namespaces || rc=1
  rbac_expect "$s" no impersonate serviceaccounts -A || rc=1
  return "${rc}"
}
check "RBAC (cluster-wide): the operator's ServiceAccount may do exactly what the rules list" rbac_cluster_wide

bot_role_escalation() { # as the operator: create the bot Role (allowed: it holds those rights) but no broader one
  local rc=0 out
  out="$(kc apply --dry-run=server --as "${SA}" -f - 2>&1 <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: chopsticks-bot, namespace: ${WNS}}
rules:
  - {apiGroups: [chopsticks.dev], resources: [shards], verbs: [get]}
  - {apiGroups: [chopsticks.dev], resources: [shards/status], verbs: [get, patch]}
EOF
)" || { echo "bot Role refused: ${out}"; rc=1; }
  if out="$(kc apply --dry-run=server --as "${SA}" -f - 2>&1 <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: too-much, namespace: ${WNS}}
rules:
  - {apiGroups: [""], resources: [pods], verbs: [create]}
EOF
)"; then
    echo "a Role granting pods/create (which the operator lacks) was accepted"
    rc=1
  elif ! grep -q 'escalat\|forbidden' <<<"${out}"; then
    echo "unexpected refusal: ${out}"
    rc=1
  fi
  # The RoleBinding of the bot Role to the bot ServiceAccount (the Role must exist for the escalation check).
  kc -n "${WNS}" create role chopsticks-bot --verb=get --resource=shards.chopsticks.dev >/dev/null 2>&1 || true
  out="$(kc -n "${WNS}" create rolebinding chopsticks-bot --role=chopsticks-bot --serviceaccount="${WNS}:chopsticks-bot" \
    --as "${SA}" --dry-run=server 2>&1)" || { echo "bot RoleBinding refused: ${out}"; rc=1; }
  return "${rc}"
}
check "RBAC escalation: the operator may create the bot Role/RoleBinding, nothing broader" bot_role_escalation

# ---- the real operator under the chart's RBAC ----
# With an operator jar (CHART_TEST_OPERATOR_JAR, else operator/target/chopsticks-operator.jar when built), run the
# operator locally with a token of the chart's ServiceAccount, apply the simulator sample and let it reconcile:
# any 403 in its log, or a reconcile that does not get through, fails the check.
OPERATOR_JAR="${CHART_TEST_OPERATOR_JAR:-}"
if [[ -z "${OPERATOR_JAR}" && -f "${ROOT}/operator/target/chopsticks-operator.jar" ]]; then
  OPERATOR_JAR="${ROOT}/operator/target/chopsticks-operator.jar"
fi
sa_kubeconfig() { # sa_kubeconfig SERVICEACCOUNT FILE: a kubeconfig with a token of SERVICEACCOUNT (in NS)
  local server ca token
  server="$(kc config view --minify --raw -o jsonpath='{.clusters[0].cluster.server}')"
  ca="$(kc config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}')"
  token="$(kc -n "${NS}" create token "$1" --duration=2h)" || return 1
  cat >"$2" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: sim, cluster: {server: "${server}", certificate-authority-data: "${ca}"}}]
users: [{name: operator, user: {token: "${token}"}}]
contexts: [{name: operator, context: {cluster: sim, user: operator, namespace: "${NS}"}}]
current-context: operator
EOF
  chmod 600 "$2"
}
run_operator_under_chart_rbac() { # run_operator_under_chart_rbac RELEASE WATCH_NAMESPACES LABEL
  local rel="$1" watch="$2" label="$3" sa="$1-chopsticks-operator" log="${TMP}/operator-$1.log" pid rc=0
  local java="java"
  [[ -x "${HACK_DIR}/java-home.sh" ]] && java="$("${HACK_DIR}/java-home.sh")/bin/java"
  sa_kubeconfig "${sa}" "${TMP}/kubeconfig-${rel}" || return 1
  # The sample (the simulator example: Secrets, simulator, ChopsticksCluster), moved to the watched namespace.
  local cr="sample-${label}"
  "${PYTHON}" - "${CHART}/examples/simulator.yaml" "${WNS}" "${TMP}/sample-${rel}.yaml" "${cr}" <<'PY' || return 1
import sys, yaml
out = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d['kind'] != 'Namespace']
for d in out:
    d['metadata']['namespace'] = sys.argv[2]
    if d['kind'] == 'ChopsticksCluster':
        d['metadata']['name'] = sys.argv[4]
yaml.safe_dump_all(out, open(sys.argv[3], 'w'))
PY
  KUBECONFIG="${TMP}/kubeconfig-${rel}" POD_NAMESPACE="${NS}" POD_NAME="chart-test-${label}" WATCH_NAMESPACES="${watch}" \
    LEADER_ELECTION_ENABLED=true LEADER_ELECTION_LEASE_NAME="${rel}-chopsticks-operator-leader" OPERATOR_HTTP_PORT=0 \
    LOG_FORMAT=text LOG_LEVEL=INFO "${java}" -Xmx384m -jar "${OPERATOR_JAR}" >"${log}" 2>&1 &
  pid=$!
  CLEANUP+=("kill ${pid}")
  kc apply -f "${TMP}/sample-${rel}.yaml" >/dev/null || rc=1
  # Reconciled: status caught up with the spec and one Shard object per shard (16,000 guilds -> 8).
  local deadline=$((SECONDS + TIMEOUT)) gen obs shards
  while ((rc == 0 && SECONDS < deadline)); do
    gen="$(kc -n "${WNS}" get ccl "${cr}" -o jsonpath='{.metadata.generation}' 2>/dev/null || true)"
    obs="$(kc -n "${WNS}" get ccl "${cr}" -o jsonpath='{.status.observedGeneration}' 2>/dev/null || true)"
    shards="$(kc -n "${WNS}" get shards.chopsticks.dev \
      -o jsonpath="{range .items[?(@.spec.cluster==\"${cr}\")]}{.metadata.name}{'\n'}{end}" 2>/dev/null | grep -c . || true)"
    [[ -n "${gen}" && "${gen}" == "${obs}" && "${shards}" -ge 8 ]] && break
    kill -0 "${pid}" 2>/dev/null || { echo "operator exited:"; tail -20 "${log}"; rc=1; break; }
    sleep 2
  done
  if ((rc == 0)) && ! [[ -n "${gen}" && "${gen}" == "${obs}" && "${shards}" -ge 8 ]]; then
    echo "not reconciled within ${TIMEOUT}s (generation ${gen:-?}, observed ${obs:-none}, ${shards} Shards)"
    rc=1
  fi
  # Let it run a few more reconciles (status updates, Shard status, events), then look for refusals.
  sleep 5
  # Fabric8 reports a refusal as "code=403 ... Forbidden"; a bare \b403\b also matched log timestamps (…:51.403).
  if grep -qE 'code=403|HTTP 403|[Ff]orbidden' "${log}"; then
    echo "the operator was refused calls (the chart's rules miss them):"
    grep -oE 'cannot [a-z]+ resource "[^"]+"( in API group "[^"]*")?( in the namespace "[^"]*")?|[^ ]*[Ff]orbidden[^.]{0,160}' "${log}" |
      sort | uniq -c | sort -rn | head -15
    rc=1
  fi
  # SIGTERM, then SIGKILL after 15 s (a pod gets the same from the kubelet after its grace period).
  kill "${pid}" 2>/dev/null || true
  local i
  for ((i = 0; i < 150; i++)); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "${pid}" 2>/dev/null; then
    warn "operator (pid ${pid}) still running 15 s after SIGTERM; killing it (log: ${log})"
    kill -KILL "${pid}" 2>/dev/null || true
  fi
  wait "${pid}" 2>/dev/null || true
  if ((rc != 0)); then
    mkdir -p "${ARTIFACTS}" && cp "${log}" "${ARTIFACTS}/" && echo "operator log: ${ARTIFACTS}/$(basename "${log}")"
    grep -E ' (ERROR|WARN) ' "${log}" | cut -c1-300 | sort | uniq -c | sort -rn | head -10
  fi
  return "${rc}"
}
if [[ -n "${OPERATOR_JAR}" ]]; then
  log "running the operator (${OPERATOR_JAR}) under the chart's ServiceAccount"
  check "operator (cluster-wide RBAC) reconciles the sample with no 403" run_operator_under_chart_rbac "${REL}" "" cluster
else
  log "no operator jar (CHART_TEST_OPERATOR_JAR or operator/target/chopsticks-operator.jar): not running the operator under the chart's RBAC"
fi

install_ns_scoped() {
  "${HELM}" install "${REL_NS}" "${CHART}" -n "${NS}" --set "watchNamespaces={${WNS}}" --set replicaCount=1 >/dev/null
}
check "helm install ${REL_NS} (namespace-scoped: watchNamespaces=[${WNS}])" install_ns_scoped
rbac_ns_scoped() {
  local rc=0 s="${SA_NS}"
  rbac_expect "$s" yes watch chopsticksclusters.chopsticks.dev -n "${WNS}" || rc=1
  rbac_expect "$s" yes create statefulsets.apps -n "${WNS}" || rc=1
  rbac_expect "$s" yes patch shards.chopsticks.dev --subresource=status -n "${WNS}" || rc=1
  rbac_expect "$s" no list chopsticksclusters.chopsticks.dev -A || rc=1
  rbac_expect "$s" no create statefulsets.apps -n default || rc=1
  rbac_expect "$s" no get secrets -n default || rc=1
  rbac_expect "$s" yes get customresourcedefinitions.apiextensions.k8s.io/shards.chopsticks.dev || rc=1
  rbac_expect "$s" yes update "leases.coordination.k8s.io/${REL_NS}-chopsticks-operator-leader" -n "${NS}" || rc=1
  [[ "$(kc -n "${NS}" get deploy "${REL_NS}-chopsticks-operator" \
    -o jsonpath='{.spec.template.spec.containers[0].env[?(@.name=="WATCH_NAMESPACES")].value}')" == "${WNS}" ]] ||
    { echo "WATCH_NAMESPACES is not ${WNS}"; rc=1; }
  return "${rc}"
}
check "RBAC (namespace-scoped): rights only in the watched namespace" rbac_ns_scoped
if [[ -n "${OPERATOR_JAR}" ]]; then
  # A second sample (another name) in the same namespace: this operator must reconcile it from scratch.
  check "operator (namespace-scoped RBAC) reconciles the sample with no 403" run_operator_under_chart_rbac "${REL_NS}" "${WNS}" namespaced
fi

upgrade_release() {
  "${HELM}" upgrade "${REL}" "${CHART}" -n "${NS}" --reuse-values --set replicaCount=1 --set leaderElection.enabled=false >/dev/null || return 1
  [[ "$(kc -n "${NS}" get deploy "${REL}-chopsticks-operator" -o jsonpath='{.spec.replicas}')" == 1 ]] || { echo "replicas not 1"; return 1; }
  [[ "$("${HELM}" history "${REL}" -n "${NS}" -o json | "${PYTHON}" -c 'import json,sys; print(len(json.load(sys.stdin)))')" == 2 ]]
}
check "helm upgrade ${REL} (replicaCount=1, leader election off)" upgrade_release

uninstall_releases() {
  "${HELM}" uninstall "${REL}" -n "${NS}" >/dev/null || return 1
  "${HELM}" uninstall "${REL_NS}" -n "${NS}" >/dev/null || return 1
  local left
  left="$(kc get clusterroles,clusterrolebindings -o name | grep -E "/(${REL}|${REL_NS})-chopsticks-operator" || true)"
  [[ -z "${left}" ]] || { echo "left behind: ${left}"; return 1; }
  left="$(kc -n "${NS}" get deploy,svc,sa,role,rolebinding,cm,pdb -o name 2>/dev/null | grep chopsticks-operator || true)"
  [[ -z "${left}" ]] || { echo "left behind: ${left}"; return 1; }
  # Helm never deletes CRDs from crds/ (that would delete every ChopsticksCluster).
  kc get crd chopsticksclusters.chopsticks.dev shards.chopsticks.dev >/dev/null || { echo "CRDs were deleted"; return 1; }
}
check "helm uninstall: operator objects gone, CRDs kept" uninstall_releases
