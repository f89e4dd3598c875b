#!/usr/bin/env python3
"""Generates charts/chopsticks-operator/files/grafana-dashboard.json (the Grafana dashboard of the chart).

Edit this file, not the JSON: python3 charts/tools/gen-dashboard.py > charts/chopsticks-operator/files/grafana-dashboard.json
hack/chart-test.sh fails when the committed JSON differs from what this prints.
"""
import json
DS = {"type": "prometheus", "uid": "${datasource}"}
NS = 'namespace=~"$namespace"'
CL = 'namespace=~"$namespace", cluster=~"$cluster"'
panels = []
pid = [0]
def nid():
    pid[0] += 1
    return pid[0]
def target(expr, legend, ref):
    return {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref, "range": True}
def row(title, y):
    panels.append({"type": "row", "title": title, "id": nid(), "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []})
def stat(title, expr, x, y, w=4, unit="short", desc="", thresholds=None):
    panels.append({"type": "stat", "title": title, "id": nid(), "datasource": DS, "description": desc,
        "gridPos": {"h": 4, "w": w, "x": x, "y": y},
        "targets": [dict(target(expr, "", "A"), instant=True, range=False)],
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": thresholds or {"mode": "absolute", "steps": [{"color": "green", "value": None}]}}, "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}, "colorMode": "value", "graphMode": "none", "textMode": "auto"}})
def ts(title, targets, x, y, w=12, h=8, unit="short", stack=False, desc="", minv=None, maxv=None):
    d = {"unit": unit, "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 30 if stack else 10,
            "stacking": {"mode": "normal" if stack else "none", "group": "A"}, "showPoints": "never"}}
    if minv is not None: d["min"] = minv
    if maxv is not None: d["max"] = maxv
    panels.append({"type": "timeseries", "title": title, "id": nid(), "datasource": DS, "description": desc,
        "gridPos": {"h": h, "w": w, "x": x, "y": y},
        "targets": [target(e, l, chr(65 + i)) for i, (e, l) in enumerate(targets)],
        "fieldConfig": {"defaults": d, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "right", "showLegend": True, "calcs": ["lastNotNull", "max"]},
                    "tooltip": {"mode": "multi", "sort": "desc"}}})

red_below = lambda v: {"mode": "absolute", "steps": [{"color": "red", "value": None}, {"color": "green", "value": v}]}
red_above = lambda v: {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": v}]}

y = 0
row("Shards", y); y += 1
stat("Ready shards", f"sum(chopsticks_shard_ready{{{CL}}})", 0, y, desc="Shards whose bot reports Ready (operator gauge chopsticks_shard_ready).")
stat("Shards", f"count(chopsticks_shard_ready{{{CL}}})", 4, y)
stat("Not Ready", f"count(chopsticks_shard_ready{{{CL}}} == 0) or vector(0)", 8, y, thresholds=red_above(1))
stat("Guilds", f"sum(chopsticks_shard_guilds{{{CL}}})", 12, y)
stat("Identifies left (24 h)", f"min(chopsticks_identify_remaining{{{CL}}})", 16, y, thresholds=red_below(100),
     desc="Discord session_start_limit.remaining; below the reserve the operator stops respawning.")
stat("Rollout halted", f"max(chopsticks_rollout_halted{{{CL}}}) or vector(0)", 20, y, thresholds=red_above(1))
y += 4
ts("Shards by phase", [(f"sum by (phase) (chopsticks_shard_phase{{{CL}}})", "{{phase}}")], 0, y, stack=True,
   desc="Pending, Starting, Identifying, Ready, Resuming, Disconnected, Failed.")
ts("Guilds per shard", [(f"sum by (cluster, shard) (chopsticks_shard_guilds{{{CL}}})", "{{cluster}} {{shard}}")], 12, y,
   desc="Discord caps a shard at 2500 guilds; the target is spec.sharding.guildsPerShard.")
y += 8
ts("Gateway ping", [(f"max by (cluster, shard) (chopsticks_gateway_ping_ms{{{CL}}})", "{{cluster}} {{shard}}")], 0, y, unit="ms",
   desc="Heartbeat round trip per shard.")
ts("Shard readiness", [(f"min by (cluster, shard) (chopsticks_shard_ready{{{CL}}})", "{{cluster}} {{shard}}")], 12, y, minv=0, maxv=1)
y += 8
row("Interactions and caches", y); y += 1
lat = f"sum by (le) (rate(chopsticks_interaction_latency_seconds_bucket{{{NS}}}[$__rate_interval]))"
ts("Interaction latency", [(f"histogram_quantile(0.5, {lat})", "p50"), (f"histogram_quantile(0.95, {lat})", "p95"),
                           (f"histogram_quantile(0.99, {lat})", "p99")], 0, y, unit="s",
   desc="Time from interaction received to response sent; Discord drops interactions not acknowledged within 3 s.")
ts("Cache hit rate per layer",
   [(f'sum by (layer) (rate(chopsticks_cache_requests_total{{{NS}, result="hit"}}[$__rate_interval])) / sum by (layer) (rate(chopsticks_cache_requests_total{{{NS}}}[$__rate_interval]))', "{{layer}}")],
   12, y, unit="percentunit", minv=0, maxv=1, desc="Hits / requests per cache layer (L1 Caffeine, L2 Redis).")
y += 8
ts("Circuit breakers not closed",
   [(f'sum by (name, state) (resilience4j_circuitbreaker_state{{{NS}, state!="closed"}})', "{{name}} {{state}}")],
   0, y, desc="Bot processes whose breaker is open, half-open or forced open (resilience4j_circuitbreaker_state).")
ts("Redis memory", [(f"max by (instance) (redis_memory_used_bytes{{{NS}}})", "used {{instance}}"),
                    (f"max by (instance) (redis_memory_max_bytes{{{NS}}})", "maxmemory {{instance}}")], 12, y, unit="bytes",
   desc="From a redis_exporter, when one scrapes the managed Redis.")
y += 8
row("Database connections", y); y += 1
ts("HikariCP connections (bot processes)",
   [(f"sum(hikaricp_connections_active{{{NS}}})", "active"), (f"sum(hikaricp_connections_idle{{{NS}}})", "idle"),
    (f"sum(hikaricp_connections_pending{{{NS}}})", "pending")], 0, y,
   desc="Client side of PgBouncer: spec.bot.pgPool per process.")
ts("PgBouncer and PostgreSQL connections",
   [(f"sum(pgbouncer_pools_client_active_connections{{{NS}}})", "pgbouncer clients active"),
    (f"sum(pgbouncer_pools_client_waiting_connections{{{NS}}})", "pgbouncer clients waiting"),
    (f"sum(pgbouncer_pools_server_active_connections{{{NS}}})", "pgbouncer server active"),
    (f"sum(pgbouncer_pools_server_idle_connections{{{NS}}})", "pgbouncer server idle"),
    ("sum(pg_stat_activity_count)", "postgresql backends")], 12, y,
   desc="From pgbouncer_exporter and postgres_exporter, when present. Server connections must stay under postgres.maxConnections.")
y += 8

dash = {
  "__inputs": [],
  "annotations": {"list": []},
  "description": "Chopsticks: shards, gateway, interactions, caches, breakers and database connections.",
  "editable": True, "graphTooltip": 1, "links": [], "liveNow": False,
  "panels": panels, "refresh": "30s", "schemaVersion": 39, "tags": ["chopsticks", "discord"],
  "templating": {"list": [
    {"name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "options": []},
    {"name": "namespace", "label": "Namespace", "type": "query", "datasource": DS,
     "query": {"query": "label_values(chopsticks_shard_ready, namespace)", "refId": "namespace"},
     "definition": "label_values(chopsticks_shard_ready, namespace)", "includeAll": True, "multi": True, "allValue": ".*",
     "current": {}, "hide": 0, "refresh": 2, "sort": 1, "options": []},
    {"name": "cluster", "label": "ChopsticksCluster", "type": "query", "datasource": DS,
     "query": {"query": 'label_values(chopsticks_shard_ready{namespace=~"$namespace"}, cluster)', "refId": "cluster"},
     "definition": 'label_values(chopsticks_shard_ready{namespace=~"$namespace"}, cluster)', "includeAll": True, "multi": True, "allValue": ".*",
     "current": {}, "hide": 0, "refresh": 2, "sort": 1, "options": []}]},
  "time": {"from": "now-3h", "to": "now"}, "timepicker": {}, "timezone": "",
  "title": "Chopsticks", "uid": "chopsticks-overview", "version": 1, "weekStart": ""}
print(json.dumps(dash, indent=2))
