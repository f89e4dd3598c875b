#!/usr/bin/env python3
"""Renders the chart's example manifests for a local cluster, on stdout (for `kubectl apply -f -`).

    render-examples.py [--image FROM=TO]... [--redis-image IMG] [--pgbouncer-image IMG] [--cpu-request Q] FILE...

--image          replaces a container image everywhere (Deployments, the ChopsticksCluster's bot.image)
--redis-image, --pgbouncer-image
                 set spec.redis.image / spec.pgbouncer.image of every ChopsticksCluster (the CRD defaults name
                 public images that a registry-less machine does not have)
--cpu-request    every CPU request (containers, bot, PgBouncer, Redis): the examples ask for a real cluster's
                 share; a 2-core kind node cannot schedule 8 shards at 250m beside the control plane.
The examples themselves stay what a real cluster needs; only this copy changes.
"""
import argparse
import sys

import yaml


def containers(doc):
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("containers", []) + spec.get("initContainers", [])


def set_cpu(resources, cpu):
    resources.setdefault("requests", {})["cpu"] = cpu


def render(doc, args, images):
    if not isinstance(doc, dict):
        return doc
    for c in containers(doc):
        c["image"] = images.get(c.get("image"), c.get("image"))
        if args.cpu_request and "resources" in c:
            set_cpu(c["resources"], args.cpu_request)
    if doc.get("kind") == "ChopsticksCluster":
        spec = doc.setdefault("spec", {})
        bot = spec.setdefault("bot", {})
        bot["image"] = images.get(bot.get("image"), bot.get("image"))
        if args.redis_image:
            spec.setdefault("redis", {})["image"] = args.redis_image
        if args.pgbouncer_image:
            spec.setdefault("pgbouncer", {})["image"] = args.pgbouncer_image
        if args.cpu_request:
            for part in ("bot", "pgbouncer", "redis"):
                set_cpu(spec.setdefault(part, {}).setdefault("resources", {}), args.cpu_request)
    return doc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image", action="append", default=[])
    p.add_argument("--redis-image")
    p.add_argument("--pgbouncer-image")
    p.add_argument("--cpu-request")
    p.add_argument("files", nargs="+")
    args = p.parse_args()
    images = {}
    for pair in args.image:
        old, sep, new = pair.partition("=")
        if not sep:
            p.error(f"--image wants FROM=TO, got {pair}")
        images[old] = new
    docs = []
    for f in args.files:
        with open(f) as fh:
            docs += [render(d, args, images) for d in yaml.safe_load_all(fh) if d is not None]
    yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
