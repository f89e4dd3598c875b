#!/usr/bin/env python3
"""Assertions of hack/chart-test.sh on rendered charts, the metric contract, the examples and the ArgoCD files.

Usage: chart-test-checks.py COMMAND ARGS...   (exit 0: the check passed; otherwise the reasons are printed)
  render SCENARIO RENDERED.yaml            what `helm template` produced for a scenario of hack/chart-test.sh
  metrics CONTRACT.txt RENDERED.yaml DASHBOARD.json   alert/dashboard expressions use only contract metrics
  examples CRD_DIR EXAMPLES_DIR             examples parse; ChopsticksClusters validate against the CRD schema
  argocd ROOT                               hack/argocd manifests: kinds, fields, waves, paths that exist
  reference RBAC.yaml RENDERED.yaml         the chart's rules = the operator's reference RBAC (+ documented extras)
  yaml FILE...                              every file parses as (multi-document) YAML
"""
import glob
import json
import os
import re
import sys

import yaml

problems = []


def expect(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def docs(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def find(objs, kind, name=None, namespace=None):
    return [o for o in objs if o.get('kind') == kind
            and (name is None or o['metadata'].get('name') == name)
            and (namespace is None or o['metadata'].get('namespace') == namespace)]


def one(objs, kind, name=None, namespace=None):
    found = find(objs, kind, name, namespace)
    expect(len(found) == 1, '%d %s %s/%s, want 1' % (len(found), kind, namespace, name))
    return found[0] if found else {}


def env_of(container):
    return {e['name']: e.get('value', e.get('valueFrom')) for e in container.get('env', [])}


def rules_allow(rules, group, resource, verb, name=None):
    for r in rules:
        if group in r.get('apiGroups', []) and resource in r.get('resources', []) and verb in r.get('verbs', []):
            if not r.get('resourceNames') or name in r['resourceNames']:
                return True
    return False


# ---------------------------------------------------------------------------------------------- render ----
def check_common(objs, ns, fullname, sa):
    dep = one(objs, 'Deployment', fullname, ns)
    pod = dep.get('spec', {}).get('template', {}).get('spec', {})
    c = (pod.get('containers') or [{}])[0]
    psc, sc = pod.get('securityContext', {}), c.get('securityContext', {})
    # Restricted pod security.
    expect(psc.get('runAsNonRoot') is True, 'pod runAsNonRoot')
    expect(psc.get('seccompProfile', {}).get('type') == 'RuntimeDefault', 'pod seccomp RuntimeDefault')
    expect(sc.get('readOnlyRootFilesystem') is True, 'readOnlyRootFilesystem')
    expect(sc.get('allowPrivilegeEscalation') is False, 'allowPrivilegeEscalation false')
    expect(sc.get('capabilities', {}).get('drop') == ['ALL'], 'capabilities drop ALL')
    expect(not sc.get('privileged'), 'not privileged')
    expect(c.get('resources', {}).get('requests') and c.get('resources', {}).get('limits'), 'requests and limits')
    # Probes on the named HTTP port.
    port = [p for p in c.get('ports', []) if p.get('name') == 'http-metrics']
    expect(len(port) == 1, 'container port http-metrics')
    expect(c.get('livenessProbe', {}).get('httpGet', {}).get('path') == '/healthz', 'liveness /healthz')
    expect(c.get('readinessProbe', {}).get('httpGet', {}).get('path') == '/readyz', 'readiness /readyz')
    for p in ('livenessProbe', 'readinessProbe'):
        expect(c.get(p, {}).get('httpGet', {}).get('port') == 'http-metrics', p + ' on http-metrics')
    env = env_of(c)
    expect(port and env.get('OPERATOR_HTTP_PORT') == str(port[0]['containerPort']), 'OPERATOR_HTTP_PORT = containerPort')
    expect(pod.get('serviceAccountName') == sa, 'serviceAccountName %s, want %s' % (pod.get('serviceAccountName'), sa))
    expect(any(v.get('mountPath') == '/tmp' for v in c.get('volumeMounts', [])), 'writable /tmp')
    # Service targets the metrics port; selector matches the pods.
    svc = one(objs, 'Service', fullname, ns)
    sel = svc.get('spec', {}).get('selector', {})
    labels = dep.get('spec', {}).get('template', {}).get('metadata', {}).get('labels', {})
    expect(sel and all(labels.get(k) == v for k, v in sel.items()), 'Service selector matches the pod labels')
    expect(dep.get('spec', {}).get('selector', {}).get('matchLabels') == sel, 'Deployment selector = Service selector')
    expect([p.get('targetPort') for p in svc.get('spec', {}).get('ports', [])] == ['http-metrics'], 'Service targets http-metrics')
    # Every binding points at the operator's ServiceAccount in the release namespace.
    for b in find(objs, 'RoleBinding') + find(objs, 'ClusterRoleBinding'):
        expect(b['subjects'] == [{'kind': 'ServiceAccount', 'name': sa, 'namespace': ns}], 'subjects of ' + b['metadata']['name'])
    # No wildcard and no escalation verbs anywhere.
    for r in find(objs, 'Role') + find(objs, 'ClusterRole'):
        for rule in r.get('rules', []):
            for field in ('apiGroups', 'resources', 'verbs'):
                expect('*' not in rule.get(field, []), 'wildcard in %s of %s' % (field, r['metadata']['name']))
            expect(not set(rule.get('verbs', [])) & {'escalate', 'bind', 'impersonate'},
                   'escalate/bind/impersonate in ' + r['metadata']['name'])
    # Every object is namespaced to the release namespace (or cluster-scoped / a watched namespace).
    return dep, c, env


def operator_rules_ok(rules, where):
    # What the operator needs (the list the lead reconciles with the operator's calls).
    need = [('chopsticks.dev', 'chopsticksclusters', 'watch'), ('chopsticks.dev', 'chopsticksclusters/status', 'patch'),
            ('chopsticks.dev', 'shards', 'create'), ('chopsticks.dev', 'shards', 'delete'),
            ('chopsticks.dev', 'shards/status', 'patch'), ('chopsticks.dev', 'shards/status', 'get'),
            ('apps', 'statefulsets', 'patch'), ('apps', 'deployments', 'create'), ('', 'pods', 'delete'),
            ('', 'secrets', 'get'), ('', 'events', 'create'),
            ('batch', 'jobs', 'create'), ('policy', 'poddisruptionbudgets', 'patch'),
            ('networking.k8s.io', 'networkpolicies', 'create'), ('rbac.authorization.k8s.io', 'roles', 'create'),
            ('rbac.authorization.k8s.io', 'rolebindings', 'create')]
    for g, res, verb in need:
        expect(rules_allow(rules, g, res, verb), '%s: %s %s/%s not allowed' % (where, verb, g, res))
    # ...and what it must not get.
    never = [('chopsticks.dev', 'chopsticksclusters', 'update'), ('chopsticks.dev', 'chopsticksclusters', 'patch'),
             ('', 'pods', 'create'), ('', 'nodes', 'get'), ('', 'namespaces', 'delete'),
             ('', 'persistentvolumeclaims', 'delete'), ('coordination.k8s.io', 'leases', 'update')]
    for g, res, verb in never:
        expect(not rules_allow(rules, g, res, verb), '%s: %s %s/%s allowed' % (where, verb, g, res))


def render(scenario, path):
    objs = docs(path)
    ns, release = 'chart-test', 't'
    full = 't-chopsticks-operator'
    kinds = sorted(o['kind'] for o in objs)
    if scenario == 'default':
        dep, c, env = check_common(objs, ns, full, full)
        expect(dep['spec']['replicas'] == 2, 'replicas 2')
        expect(env.get('LEADER_ELECTION_ENABLED') == 'true', 'LEADER_ELECTION_ENABLED=true')
        expect(env.get('WATCH_NAMESPACES') == '', 'WATCH_NAMESPACES empty')
        # The operator's configuration variables (operator/.../config/OperatorConfig.java).
        for k in ('OPERATOR_HTTP_PORT', 'LEADER_ELECTION_ENABLED', 'LEADER_ELECTION_LEASE_NAME', 'LEADER_ELECTION_NAMESPACE',
                  'POD_NAMESPACE', 'POD_NAME', 'RECONCILE_THREADS', 'RESYNC_INTERVAL', 'LOG_FORMAT', 'LOG_LEVEL'):
            expect(k in env, 'env ' + k)
        expect(env.get('LEADER_ELECTION_LEASE_NAME') == 't-chopsticks-operator-leader', 'lease name')
        expect(c['image'] == 'chopsticks/operator:0.1.0', 'image ' + c['image'])
        expect(env.get('RELATED_IMAGE_BOT_RUNTIME') == 'chopsticks/bot-runtime:0.1.0', 'bot-runtime image')
        expect(env.get('RELATED_IMAGE_DISCORD_SIM') == 'chopsticks/discord-sim:0.1.0', 'discord-sim image')
        cr = one(objs, 'ClusterRole', full)
        operator_rules_ok(cr.get('rules', []), 'ClusterRole')
        expect(not find(objs, 'Role', full), 'no per-namespace Role in cluster-wide mode')
        crd = one(objs, 'ClusterRole', full + '-crd-reader')
        expect(rules_allow(crd['rules'], 'apiextensions.k8s.io', 'customresourcedefinitions', 'get',
                           'servicemonitors.monitoring.coreos.com'), 'crd-reader gets the ServiceMonitor CRD')
        expect(not rules_allow(crd['rules'], 'apiextensions.k8s.io', 'customresourcedefinitions', 'get', 'other.example.com'),
               'crd-reader limited by resourceNames')
        lease = one(objs, 'Role', full + '-leader-election', ns)
        lease_name = env.get('LEADER_ELECTION_LEASE_NAME')
        for verb in ('get', 'update', 'patch'):
            expect(rules_allow(lease['rules'], 'coordination.k8s.io', 'leases', verb, lease_name), 'lease ' + verb)
        expect(not rules_allow(lease['rules'], 'coordination.k8s.io', 'leases', 'update', 'someone-elses'), 'lease by name only')
        one(objs, 'PodDisruptionBudget', full, ns)
        cm = one(objs, 'ConfigMap', full + '-dashboard', ns)
        expect(cm['metadata']['labels'].get('grafana_dashboard') == '1', 'grafana_dashboard: "1" label')
        dash = json.loads(cm['data']['chopsticks-overview.json'])
        expect(dash.get('uid') == 'chopsticks-overview' and dash.get('panels'), 'dashboard JSON')
        expect(not find(objs, 'ServiceMonitor') and not find(objs, 'PrometheusRule'), 'monitoring objects off by default')
        expect('CustomResourceDefinition' not in kinds, 'CRDs come from crds/, not templates')
    elif scenario == 'namespace-scoped':
        dep, c, env = check_common(objs, ns, full, full)
        expect(env.get('WATCH_NAMESPACES') == 'bots,bots-staging', 'WATCH_NAMESPACES=bots,bots-staging')
        for wns in ('bots', 'bots-staging'):
            role = one(objs, 'Role', full, wns)
            operator_rules_ok(role.get('rules', []), 'Role in ' + wns)
            rb = one(objs, 'RoleBinding', full, wns)
            expect(rb.get('roleRef', {}).get('kind') == 'Role', 'RoleBinding in %s binds the Role' % wns)
        expect(not find(objs, 'ClusterRole', full), 'no cluster-wide operator ClusterRole')
        expect(not find(objs, 'ClusterRoleBinding', full), 'no cluster-wide operator ClusterRoleBinding')
        expect([o['metadata']['name'] for o in find(objs, 'ClusterRole')] == [full + '-crd-reader'], 'only the CRD reader is cluster-wide')
    elif scenario == 'monitoring':
        dep, c, env = check_common(objs, ns, full, full)
        sm = one(objs, 'ServiceMonitor', full, ns)
        expect(sm['metadata']['labels'].get('release') == 'kube-prometheus-stack', 'ServiceMonitor labels')
        expect(sm['spec']['endpoints'][0]['port'] == 'http-metrics', 'ServiceMonitor port')
        expect(sm['spec']['endpoints'][0]['interval'] == '15s', 'ServiceMonitor interval')
        pr = one(objs, 'PrometheusRule', full, ns)
        alerts = {r['alert']: r for g in pr['spec']['groups'] for r in g['rules']}
        want = {'ChopsticksShardNotReady', 'ChopsticksShardFailed', 'ChopsticksCircuitBreakerOpen',
                'ChopsticksInteractionLatencyHigh', 'ChopsticksIdentifyBudgetLow', 'ChopsticksRolloutHalted',
                'ChopsticksOperatorDown'}
        expect(set(alerts) == want, 'alerts %s, want %s' % (sorted(alerts), sorted(want)))
        for a, r in alerts.items():
            expect(r['labels'].get('severity') in ('warning', 'critical'), a + ' severity')
            expect(r['labels'].get('team') == 'bots', a + ' additional label')
            expect(r['annotations'].get('summary') and r['annotations'].get('description'), a + ' annotations')
            expect(r['expr'].count('(') == r['expr'].count(')'), a + ' parentheses balanced')
        expect(alerts.get('ChopsticksShardNotReady', {}).get('for') == '5m', 'shard not Ready for 5m')
        expect('< 50' in alerts.get('ChopsticksIdentifyBudgetLow', {}).get('expr', ''), 'identify reserve 50')
        expect('> 1' in alerts.get('ChopsticksInteractionLatencyHigh', {}).get('expr', ''), 'p99 > 1 s')
        expect('histogram_quantile(0.99' in alerts.get('ChopsticksInteractionLatencyHigh', {}).get('expr', ''), 'p99 quantile')
        cm = one(objs, 'ConfigMap', full + '-dashboard', 'monitoring')
        expect(cm['metadata'].get('annotations', {}).get('grafana_folder') == 'Chopsticks', 'dashboard folder annotation')
    elif scenario == 'single-replica':
        dep, c, env = check_common(objs, ns, full, full)
        expect(dep['spec']['replicas'] == 1, 'replicas 1')
        expect(env.get('LEADER_ELECTION_ENABLED') == 'false', 'LEADER_ELECTION_ENABLED=false')
        expect(not find(objs, 'PodDisruptionBudget'), 'no PDB with one replica')
        expect(not find(objs, 'Role', full + '-leader-election'), 'no Lease Role without leader election')
    elif scenario == 'overrides':
        dep, c, env = check_common(objs, ns, 'chopsticks', 'chopsticks-operator-sa')
        expect(c['image'] == 'registry.example.com/chopsticks/operator:0.1.1@sha256:' + '0123456789abcdef' * 4, 'image with digest')
        expect(c['imagePullPolicy'] == 'Always', 'pullPolicy')
        expect(env.get('EXTRA') == '1', 'extraEnv')
        expect(env.get('OPERATOR_HTTP_PORT') == '9090', 'httpPort 9090')
        lease = env.get('LEADER_ELECTION_LEASE_NAME', '')
        expect(lease == 'chopsticks-leader', 'lease name ' + lease)
        expect(dep['spec']['template']['spec'].get('imagePullSecrets') == [{'name': 'regcred'}], 'imagePullSecrets')
        expect(dep['spec']['template']['spec'].get('priorityClassName') == 'system-cluster-critical', 'priorityClassName')
        expect(not find(objs, 'ServiceAccount'), 'no ServiceAccount when create=false')
        expect(not find(objs, 'ConfigMap'), 'no dashboard ConfigMap')
        cr = one(objs, 'ClusterRole', 'chopsticks')
        expect(not rules_allow(cr['rules'], 'monitoring.coreos.com', 'servicemonitors', 'create'), 'no ServiceMonitor rights')
    elif scenario == 'long-name':
        dep, c, env = check_common(objs, ns, 'x' * 63, 'x' * 63)
        lease = env.get('LEADER_ELECTION_LEASE_NAME', '')
        expect(len(lease) <= 63 and re.match(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', lease), 'lease name a DNS label: ' + lease)
        for o in objs:
            expect(len(o['metadata']['name']) <= 63, 'name too long: ' + o['metadata']['name'])
    else:
        problems.append('unknown scenario ' + scenario)


# --------------------------------------------------------------------------------------------- metrics ----
PROMQL_WORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset',
                'sum', 'min', 'max', 'avg', 'count', 'rate', 'irate', 'increase', 'histogram_quantile', 'absent',
                'vector', 'le', 'topk', 'bottomk', 'label_values', 'inf', 'nan'}


def metric_names(expr):
    expr = re.sub(r'"[^"]*"', '""', expr)          # label values
    expr = re.sub(r'\{[^}]*\}', '', expr)           # label matchers
    expr = re.sub(r'\[[^\]]*\]', '', expr)          # range selectors
    expr = re.sub(r'\b(by|without|on|ignoring)\s*\([^)]*\)', '', expr)  # grouping label lists
    names = set()
    for tok in re.findall(r'[A-Za-z_:][A-Za-z0-9_:]*', expr):
        if tok.lower() in PROMQL_WORDS or tok.startswith('$'):
            continue
        names.add(tok)
    return names - {'__rate_interval', '__interval', 'datasource', 'namespace', 'cluster'}


def metrics(contract_path, rendered, dashboard):
    contract = {}
    for line in open(contract_path):
        line = line.split('#', 1)[0].split()
        if line:
            contract[line[0]] = line[1]
    exprs = []
    for o in docs(rendered):
        if o.get('kind') == 'PrometheusRule':
            exprs += [('alert ' + r['alert'], r['expr']) for g in o['spec']['groups'] for r in g['rules']]
    expect(exprs, 'no PrometheusRule in ' + rendered)
    dash = json.load(open(dashboard))
    for p in dash['panels']:
        for t in p.get('targets', []):
            exprs.append(('panel ' + p['title'], t['expr']))
    used = set()
    for where, e in exprs:
        names = metric_names(e)
        expect(names, '%s: no metric in %r' % (where, e))
        for n in names:
            expect(n in contract, '%s uses %s, not in %s' % (where, n, os.path.basename(contract_path)))
        used |= names
    for m, kind in contract.items():
        if kind == 'required':
            expect(m in used, 'contract metric %s is used by no alert or panel' % m)
    # Dashboard panels asked for by the issue.
    titles = {p['title'] for p in dash['panels']}
    for t in ('Shards by phase', 'Guilds per shard', 'Gateway ping', 'Interaction latency', 'Cache hit rate per layer',
              'Circuit breakers not closed', 'PgBouncer and PostgreSQL connections'):
        expect(t in titles, 'dashboard panel %r missing' % t)
    ids = [p['id'] for p in dash['panels']]
    expect(len(ids) == len(set(ids)), 'dashboard panel ids unique')


# -------------------------------------------------------------------------------------------- examples ----
def openapi_to_jsonschema(s):
    if isinstance(s, dict):
        out = {k: openapi_to_jsonschema(v) for k, v in s.items() if not k.startswith('x-kubernetes')}
        # The generator writes bounds as e.g. 5.0E7, a float in YAML 1.2 (the API server) but a string to PyYAML.
        for bound in ('minimum', 'maximum'):
            if isinstance(out.get(bound), str):
                out[bound] = float(out[bound])
        return out
    if isinstance(s, list):
        return [openapi_to_jsonschema(x) for x in s]
    return s


def examples(crd_dir, ex_dir):
    crds = {}
    for f in glob.glob(os.path.join(crd_dir, '*.chopsticks.dev.yaml')):
        c = docs(f)[0]
        crds[c['spec']['names']['kind']] = c
    try:
        import jsonschema
    except ImportError:
        jsonschema = None
    n = 0
    for f in sorted(glob.glob(os.path.join(ex_dir, '*.yaml'))):
        for o in docs(f):
            expect(o.get('apiVersion') and o.get('kind') and o.get('metadata', {}).get('name'), '%s: incomplete object' % f)
            if o['kind'] in crds:
                n += 1
                crd = crds[o['kind']]
                expect(o['apiVersion'] == crd['spec']['group'] + '/' + crd['spec']['versions'][0]['name'], f + ' apiVersion')
                ann = o['metadata'].get('annotations', {})
                expect(ann.get('argocd.argoproj.io/sync-wave') == '1', f + ': custom resources are in sync wave 1')
                if jsonschema:
                    schema = openapi_to_jsonschema(crd['spec']['versions'][0]['schema']['openAPIV3Schema'])
                    body = {k: v for k, v in o.items() if k in ('spec', 'status')}
                    for err in jsonschema.Draft7Validator(schema).iter_errors(body):
                        problems.append('%s %s: %s at %s' % (f, o['metadata']['name'], err.message, list(err.path)))
                spec = o['spec']
                pg = spec.get('pgbouncer', {})
                expect(pg.get('replicas', 2) * pg.get('defaultPoolSize', 25) <= spec['postgres'].get('maxConnections', 200),
                       f + ': PgBouncer pool budget above maxConnections')
            if o['kind'] in ('Deployment', 'StatefulSet'):
                ps = o['spec']['template']['spec']
                expect(ps.get('securityContext', {}).get('runAsNonRoot') is True, f + ' runAsNonRoot')
                for c in ps['containers']:
                    sc = c.get('securityContext', {})
                    expect(sc.get('allowPrivilegeEscalation') is False and sc.get('capabilities', {}).get('drop') == ['ALL'],
                           f + ' container security')
    expect(n >= 2, 'found %d ChopsticksCluster examples, want 2' % n)
    sim = [o for o in docs(os.path.join(ex_dir, 'simulator.yaml')) if o['kind'] == 'ChopsticksCluster'][0]
    expect(sim['spec']['bot']['gatewayUrl'].startswith('ws://discord-sim.chopsticks-demo.svc:8090/'), 'simulator gatewayUrl')
    expect(sim['spec']['bot']['apiBaseUrl'] == 'http://discord-sim.chopsticks-demo.svc:8090/api/v10/', 'simulator apiBaseUrl')


# ---------------------------------------------------------------------------------------------- argocd ----
def argocd(root):
    d = os.path.join(root, 'hack', 'argocd')
    apps = {}
    for f in sorted(glob.glob(os.path.join(d, '*.yaml')) + glob.glob(os.path.join(d, 'app-of-apps', '*.yaml'))):
        for o in docs(f):
            if o['kind'] == 'ConfigMap':
                continue
            expect(o.get('apiVersion') == 'argoproj.io/v1alpha1', f + ' apiVersion')
            expect(o['kind'] in ('Application', 'ApplicationSet'), f + ' kind ' + o['kind'])
            spec = o['spec']['template']['spec'] if o['kind'] == 'ApplicationSet' else o['spec']
            src = spec.get('source', {})
            for k in ('repoURL', 'targetRevision', 'path'):
                expect(src.get(k), '%s: source.%s' % (f, k))
            expect(spec.get('destination', {}).get('server'), f + ': destination.server')
            path = os.path.join(root, src.get('path', ''))
            expect(os.path.isdir(path), '%s: path %s does not exist in the repository' % (f, src.get('path')))
            inc = src.get('directory', {}).get('include')
            if inc:
                pats = inc.strip('{}').split(',')
                for p in pats:
                    expect(glob.glob(os.path.join(path, p)), '%s: include %s matches nothing' % (f, p))
            if src.get('path') == 'charts/chopsticks-operator':
                opts = spec.get('syncPolicy', {}).get('syncOptions', [])
                expect('ServerSideApply=true' in opts, f + ': ServerSideApply=true')
                expect('resources-finalizer.argocd.argoproj.io' not in o['metadata'].get('finalizers', []) and
                       'resources-finalizer.argocd.argoproj.io' not in
                       o.get('spec', {}).get('template', {}).get('metadata', {}).get('finalizers', []),
                       f + ': the operator Application must not delete the CRDs with it')
            if o['kind'] == 'Application' and f.endswith(os.path.join('app-of-apps', os.path.basename(f))):
                apps[o['metadata']['name']] = int(o['metadata'].get('annotations', {}).get('argocd.argoproj.io/sync-wave', '0'))
            if o['kind'] == 'ApplicationSet':
                gens = o['spec']['generators']
                expect(gens and 'list' in gens[0] and len(gens[0]['list']['elements']) >= 2, f + ': list generator over clusters')
                expect(o['spec'].get('syncPolicy', {}).get('preserveResourcesOnDeletion') is True, f + ': preserveResourcesOnDeletion')
                tmpl = json.dumps(o['spec']['template'])
                keys = set(re.findall(r'\{\{[^}]*?\.(\w+)', tmpl))
                for e in gens[0]['list']['elements']:
                    expect(keys <= set(e), '%s: element %s lacks %s' % (f, e.get('cluster'), sorted(keys - set(e))))
    expect(apps.get('chopsticks-crds') == -1 and apps.get('chopsticks-operator') == 0 and apps.get('chopsticks-demo') == 1,
           'app-of-apps waves crds -1 < operator 0 < demo 1, got %s' % apps)
    crds_app = os.path.join(d, 'app-of-apps', 'crds.yaml')
    if os.path.exists(crds_app):
        o = docs(crds_app)[0]
        expect(o['spec']['syncPolicy']['automated'].get('prune') is False, 'the CRD Application never prunes')
    op = os.path.join(d, 'app-of-apps', 'operator.yaml')
    if os.path.exists(op):
        expect(docs(op)[0]['spec']['source']['helm'].get('skipCrds') is True, 'app-of-apps operator skips the chart CRDs')


# Rights the chart grants beyond operator/deploy/rbac.yaml, each with its reason. Anything else extra fails.
EXTRAS = {
    ('', 'pods', 'delete'): 'rolling restarts and respawns delete shard pods (OnDelete StatefulSet; rollout issue)',
}


def triples(rules, name=None):
    out = set()
    for r in rules:
        if r.get('resourceNames') and name not in r['resourceNames']:
            continue
        for g in r.get('apiGroups', []):
            for res in r.get('resources', []):
                for v in r.get('verbs', []):
                    out.add((g, res, v))
    return out


def reference(ref_path, rendered):
    """The chart's rules against the operator's reference RBAC (operator/deploy/rbac.yaml)."""
    ref = docs(ref_path)
    objs = docs(rendered)
    full = 't-chopsticks-operator'
    chart_main = one(objs, 'ClusterRole', full).get('rules', [])
    chart_crd = one(objs, 'ClusterRole', full + '-crd-reader').get('rules', [])
    lease_role = one(objs, 'Role', full + '-leader-election').get('rules', [])
    lease = full + '-leader'
    ref_main = [o for o in ref if o['kind'] == 'ClusterRole'][0]['rules']
    ref_lease = [o for o in ref if o['kind'] == 'Role'][0]['rules']
    want = triples(ref_main)
    have = triples(chart_main) | triples(chart_crd, 'servicemonitors.monitoring.coreos.com')
    for t in sorted(want - have):
        problems.append('chart misses %s %s/%s of operator/deploy/rbac.yaml' % (t[2], t[0] or 'core', t[1]))
    for t in sorted(have - want):
        if t not in EXTRAS:
            problems.append('chart grants %s %s/%s beyond operator/deploy/rbac.yaml (add it there or to EXTRAS with a reason)'
                            % (t[2], t[0] or 'core', t[1]))
    want_l, have_l = triples(ref_lease), triples(lease_role, lease)
    for t in sorted(want_l - have_l):
        problems.append('leader-election Role misses %s %s/%s' % (t[2], t[0], t[1]))
    for t in sorted(have_l - want_l):
        problems.append('leader-election Role grants %s %s/%s beyond the reference' % (t[2], t[0], t[1]))


def yaml_files(paths):
    for p in paths:
        try:
            docs(p)
        except yaml.YAMLError as e:
            problems.append('%s: %s' % (p, e))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'render':
        render(*args)
    elif cmd == 'metrics':
        metrics(*args)
    elif cmd == 'examples':
        examples(*args)
    elif cmd == 'argocd':
        argocd(*args)
    elif cmd == 'reference':
        reference(*args)
    elif cmd == 'yaml':
        yaml_files(args)
    else:
        problems.append('unknown command ' + cmd)
    for p in problems:
        print('  - ' + p)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
