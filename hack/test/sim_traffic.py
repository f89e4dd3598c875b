#!/usr/bin/env python3
"""Slash-command traffic through the Discord simulator's control API, for the fault scenarios on kind.

    sim_traffic.py --sim http://127.0.0.1:PORT --duration 60 --rate 5 --commands ping,balance --shards 8

Every 1/rate seconds a Discord user in a guild of the next shard (round robin) runs the next command; a pool of
waiters collects each final reply (GET /_sim/interactions/{id}?timeout_ms=...). An interaction counts as
  answered  when the bot's final reply arrived within --timeout-ms and is not a failure reply;
  failed    when a reply arrived but says the bot failed ("Taking longer than expected", "Storage unavailable",
            "Error"), or no final reply came in time.
Sends the simulator refuses with 409 (no gateway session for that shard) count as shard_offline, other refused sends
as send_errors. Prints one JSON line: sent, answered, failed, shard_offline, send_errors, the first failures of each
kind, p50/p99 of the final reply (ms). Exit 0 always:
the caller asserts on the figures.
"""
import argparse
import itertools
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

FAILURE_MARKS = ("Taking longer than expected", "Storage unavailable", "❌ Error", "Busy")


def call(method, url, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read() or b"null")


def reply_text(outcome):
    texts = []
    for r in outcome.get("replies") or []:
        payload = r.get("payload") or {}
        data = payload.get("data") or payload
        texts.append(data.get("content") or "")
        for e in data.get("embeds") or []:
            texts.append("%s %s" % (e.get("title", ""), e.get("description", "")))
    return " | ".join(t for t in texts if t)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sim", required=True, help="simulator base URL (its /_sim control API)")
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--rate", type=float, default=5, help="interactions per second")
    p.add_argument("--commands", default="ping")
    p.add_argument("--shards", type=int, default=1)
    p.add_argument("--guilds-per-shard", type=int, default=4)
    p.add_argument("--timeout-ms", type=int, default=5000)
    args = p.parse_args()
    sim = args.sim.rstrip("/") + "/_sim"

    guilds, shard_of = [], {}
    for shard in range(args.shards):
        # count is the shard count the guilds are routed by ((guild_id >> 22) % count), not how many to return
        mine = call("GET", "%s/shards/%d/guilds?count=%d" % (sim, shard, args.shards))[:args.guilds_per_shard]
        shard_of.update((g, shard) for g in mine)
        guilds += mine
    commands = itertools.cycle(args.commands.split(","))
    targets = itertools.cycle(guilds)

    lock = threading.Lock()
    stats = {"sent": 0, "answered": 0, "failed": 0, "shard_offline": 0, "send_errors": 0, "failures": [],
             "send_failures": []}
    latencies = []

    def await_reply(iid, name, guild, sent_at):
        try:
            o = call("GET", "%s/interactions/%d?timeout_ms=%d" % (sim, iid, args.timeout_ms),
                     timeout=args.timeout_ms / 1000 + 30)
            text = reply_text(o)
            final = o.get("finalResponse")
            ok = final is not None and not any(m in text for m in FAILURE_MARKS)
            why = None if ok else ("no final reply" if final is None else text[:120])
        except Exception as e:  # the simulator itself unreachable: counted, shown
            ok, why, final = False, "control API: %s" % e, None
        with lock:
            if ok:
                stats["answered"] += 1
                latencies.append(parse_ms(final))
            else:
                stats["failed"] += 1
                if len(stats["failures"]) < 5:
                    stats["failures"].append("/%s on shard %d at t=%.1fs: %s" % (name, shard_of[guild], sent_at, why))

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=64) as pool:
        n = 0
        while time.monotonic() - start < args.duration:
            due = start + n / args.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # pacing the sender, not synchronising a test
            name, guild = next(commands), next(targets)
            try:
                ref = call("POST", sim + "/interactions",
                           {"name": name, "guildId": guild})
                with lock:
                    stats["sent"] += 1
                pool.submit(await_reply, ref["id"], name, guild, round(time.monotonic() - start, 1))
            except Exception as e:
                with lock:
                    if isinstance(e, urllib.error.HTTPError) and e.code == 409:
                        # The simulator has no session for that shard (a user would see "did not respond"):
                        # a shard between processes, counted apart from the bot's own failures.
                        stats["shard_offline"] += 1
                    else:
                        stats["send_errors"] += 1
                        if len(stats["send_failures"]) < 5:
                            stats["send_failures"].append("send /%s: %s" % (name, e))
            n += 1
    latencies.sort()
    stats["p50_ms"] = pct(latencies, 0.50)
    stats["p99_ms"] = pct(latencies, 0.99)
    stats["duration_s"] = round(time.monotonic() - start, 1)
    print(json.dumps(stats))


def parse_ms(iso_duration):
    # java.time.Duration as ISO-8601, e.g. PT0.123S
    s = iso_duration[2:] if iso_duration.startswith("PT") else iso_duration
    total = 0.0
    num = ""
    for ch in s:
        if ch.isdigit() or ch in ".-":
            num += ch
            continue
        total += float(num or 0) * {"H": 3600, "M": 60, "S": 1}[ch]
        num = ""
    return round(total * 1000, 1)


def pct(values, q):
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


if __name__ == "__main__":
    sys.exit(main())
