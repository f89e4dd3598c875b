#!/usr/bin/env python3
"""Generates charts/chopsticks-operator/values.schema.json (JSON Schema draft-07 for the values).

Edit this file, not the JSON: python3 charts/tools/gen-schema.py > charts/chopsticks-operator/values.schema.json
hack/chart-test.sh fails when the committed JSON differs from what this prints.
"""
import json
def obj(props, required=None, addl=False, desc=None):
    o = {"type": "object", "additionalProperties": addl, "properties": props}
    if required: o["required"] = required
    if desc: o["description"] = desc
    return o
def s(desc, **kw): return dict({"type": "string", "description": desc}, **kw)
def i(desc, **kw): return dict({"type": "integer", "description": desc}, **kw)
def b(desc): return {"type": "boolean", "description": desc}
def anyobj(desc): return {"type": "object", "description": desc}
def strmap(desc): return {"type": "object", "description": desc, "additionalProperties": {"type": "string"}}
DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
DNS_SUB = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"
DURATION = "^([0-9]+(ms|s|m|h|d|w|y))+$"
QTY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$"
image_ref = lambda desc: obj({
    "repository": s("Image repository, e.g. chopsticks/operator or ghcr.io/org/operator.", minLength=1,
                    pattern="^[a-z0-9]+([._/:-][a-z0-9]+)*$"),
    "tag": s("Image tag; empty means the chart's appVersion.", pattern="^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$"),
}, ["repository"], desc=desc)
resources = obj({
    "requests": {"type": "object", "additionalProperties": {"type": ["string", "number"]}, "description": "Requests, e.g. {cpu: 100m, memory: 384Mi}."},
    "limits": {"type": "object", "additionalProperties": {"type": ["string", "number"]}, "description": "Limits, e.g. {memory: 768Mi}."},
    "claims": {"type": "array"},
}, desc="Container resources.")
probe = obj({
    "initialDelaySeconds": i("Seconds before the first probe.", minimum=0),
    "periodSeconds": i("Seconds between probes.", minimum=1),
    "timeoutSeconds": i("Probe timeout in seconds.", minimum=1),
    "failureThreshold": i("Failures before the probe fails.", minimum=1),
    "successThreshold": i("Successes before the probe passes (1 for liveness).", minimum=1),
})
schema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "chopsticks-operator values",
  "type": "object",
  "additionalProperties": False,
  "properties": {
    "global": {"type": "object", "description": "Helm global values (passed by parent charts); unused."},
    "nameOverride": s("Override of the chart name in resource names.", pattern="^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", maxLength=63),
    "fullnameOverride": s("Override of the full resource name.", pattern="^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", maxLength=63),
    "replicaCount": i("Operator replicas; more than one needs leaderElection.enabled.", minimum=1, maximum=10),
    "image": obj({
        "repository": s("Operator image repository.", minLength=1, pattern="^[a-z0-9]+([._/:-][a-z0-9]+)*$"),
        "tag": s("Image tag; empty means the chart's appVersion.", pattern="^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$"),
        "digest": s("Image digest, e.g. sha256:<64 hex>.", pattern="^(sha256:[a-f0-9]{64})?$"),
        "pullPolicy": {"type": "string", "enum": ["Always", "IfNotPresent", "Never"], "description": "Image pull policy."},
    }, ["repository", "pullPolicy"], desc="Operator image."),
    "imagePullSecrets": {"type": "array", "description": "Image pull secrets.",
        "items": obj({"name": s("Secret name.", minLength=1, pattern=DNS_SUB)}, ["name"])},
    "relatedImages": obj({"botRuntime": image_ref("bot-runtime image."), "discordSim": image_ref("Discord simulator image.")},
                         desc="Images run next to the operator (RELATED_IMAGE_* env)."),
    "leaderElection": obj({
        "enabled": b("Lease-based leader election."),
        "leaseName": s("Lease name (a DNS label); empty means <fullname>-leader.", pattern="^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", maxLength=63),
    }, ["enabled"], desc="Leader election."),
    "watchNamespaces": {"type": "array", "uniqueItems": True, "description": "Namespaces to watch; empty means all.",
        "items": s("A namespace name.", pattern=DNS_LABEL, minLength=1, maxLength=63)},
    "reconcileThreads": i("Concurrent reconciles.", minimum=1, maximum=100),
    "resyncInterval": s("Longest time between two reconciles (at least 10s).", pattern="^([0-9]+(s|m|h))+$"),
    "maxPlannedShards": i(
        "Most shards one cluster may plan; above it the cluster is Degraded and nothing is created.",
        minimum=1,
        maximum=100000,
    ),
    "httpPort": i("Operator HTTP port (/metrics, /healthz, /readyz).", minimum=1024, maximum=65535),
    "logging": obj({
        "level": {"type": "string", "enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"], "description": "Root log level."},
        "format": {"type": "string", "enum": ["json", "text"], "description": "Log line format."},
    }, desc="Logging."),
    "javaOptions": s("JVM options (JAVA_TOOL_OPTIONS)."),
    "extraEnv": {"type": "array", "description": "Extra EnvVar objects for the operator container.",
        "items": {"type": "object", "required": ["name"], "properties": {"name": s("Variable name.", pattern="^[A-Za-z_][A-Za-z0-9_]*$")}}},
    "resources": resources,
    "serviceAccount": obj({
        "create": b("Create the ServiceAccount."),
        "name": s("ServiceAccount name; empty means the full name.", pattern="^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$"),
        "annotations": strmap("ServiceAccount annotations."),
    }, ["create"], desc="The operator's ServiceAccount."),
    "rbac": obj({"create": b("Create the RBAC objects."), "serviceMonitors": b("Rights on ServiceMonitors.")}, ["create"], desc="RBAC."),
    "podSecurityContext": anyobj("Pod securityContext (restricted by default)."),
    "securityContext": anyobj("Container securityContext (restricted by default)."),
    "tmpSizeLimit": s("Size limit of the /tmp emptyDir.", pattern=QTY),
    "probes": obj({"liveness": probe, "readiness": probe}, desc="Probe timings."),
    "podAnnotations": strmap("Pod annotations."),
    "podLabels": strmap("Pod labels."),
    "nodeSelector": strmap("Node selector."),
    "tolerations": {"type": "array", "items": {"type": "object"}, "description": "Tolerations."},
    "affinity": anyobj("Affinity."),
    "topologySpreadConstraints": {"type": "array", "items": {"type": "object"}, "description": "Topology spread constraints."},
    "priorityClassName": s("PriorityClass of the operator pods."),
    "terminationGracePeriodSeconds": i("Termination grace period.", minimum=0),
    "podDisruptionBudget": obj({"enabled": b("Render the PDB."), "minAvailable": {"type": ["integer", "string"], "description": "Pods kept through disruptions (count or percentage).", "minimum": 0, "pattern": "^[0-9]+%$"}}, desc="Operator PDB."),
    "service": obj({
        "type": {"type": "string", "enum": ["ClusterIP", "NodePort", "LoadBalancer"], "description": "Service type."},
        "port": i("Service port.", minimum=1, maximum=65535),
        "annotations": strmap("Service annotations."),
    }, desc="Metrics Service."),
    "serviceMonitor": obj({
        "enabled": b("Render a ServiceMonitor."),
        "labels": strmap("Extra labels."),
        "interval": s("Scrape interval.", pattern=DURATION),
        "scrapeTimeout": s("Scrape timeout.", pattern=DURATION),
    }, desc="ServiceMonitor for the operator."),
    "prometheusRule": obj({
        "enabled": b("Render the PrometheusRule."),
        "labels": strmap("Extra labels."),
        "additionalAlertLabels": strmap("Labels added to every alert."),
        "shardNotReadyFor": s("How long a shard may be not Ready before ChopsticksShardNotReady fires.", pattern=DURATION),
        "interactionP99Seconds": {"type": "number", "exclusiveMinimum": 0, "description": "p99 latency threshold in seconds."},
        "redisMemoryRatio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1, "description": "used/max Redis memory ratio threshold."},
        "identifyReserve": i("Identifies kept in reserve.", minimum=0, maximum=1000000),
        "disabledAlerts": {"type": "array", "uniqueItems": True, "description": "Alerts not to render.",
            "items": {"type": "string", "enum": ["ChopsticksShardNotReady", "ChopsticksShardFailed", "ChopsticksCircuitBreakerOpen",
                "ChopsticksInteractionLatencyHigh", "ChopsticksRedisMemoryHigh", "ChopsticksIdentifyBudgetLow",
                "ChopsticksRolloutHalted", "ChopsticksOperatorDown"]}},
    }, desc="Chopsticks alerts."),
    "grafanaDashboard": obj({
        "enabled": b("Render the dashboard ConfigMap."),
        "namespace": s("Namespace of the ConfigMap; empty means the release namespace.", pattern="^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$"),
        "labels": strmap("Labels for the Grafana sidecar."),
        "annotations": strmap("Annotations, e.g. grafana_folder."),
    }, desc="Grafana dashboard ConfigMap."),
  },
  # Two active operators would fight: more than one replica needs leader election.
  "if": {"properties": {"leaderElection": {"properties": {"enabled": {"const": False}}, "required": ["enabled"]}}, "required": ["leaderElection"]},
  "then": {"properties": {"replicaCount": {"maximum": 1}}},
}
print(json.dumps(schema, indent=2))
