"""disnake against hack/discord-sim.

Prints one "PASS <library> <step>" or "FAIL <library> <step>: <why>; frame: <last gateway frame>" line per step.
Env: SIM_URL (http://127.0.0.1:PORT), SIM_TOKEN. Every wait is on an event or a future, with a timeout; nothing sleeps.
"""

import asyncio
import json
import os
import sys
import traceback
import urllib.request

import disnake
import disnake.http

LIB = f"disnake@{disnake.__version__}"
SIM = os.environ["SIM_URL"]
TOKEN = os.environ["SIM_TOKEN"]
SHARDS = [0, 1]
TIMEOUT = float(os.environ.get("STEP_TIMEOUT_MS", "20000")) / 1000
STEPS = [
    "connect",
    "guilds",
    "register-command",
    "interaction",
    "resume",
    "binary-json",
    "close-4002",
    "close-4014",
    "close-4004",
]

# Public configuration of the library: its REST base URL. The gateway URL comes from GET /gateway/bot.
disnake.http.Route.BASE = f"{SIM}/api/v10"

last_frame = "(none)"
results: dict[str, bool] = {}


class StepError(Exception):
    pass


def remember(frame) -> None:
    global last_frame
    text = frame if isinstance(frame, str) else json.dumps(frame)
    last_frame = text if len(text) <= 400 else text[:400] + "..."


def sim_call(method: str, path: str, body: str | None = None):
    req = urllib.request.Request(
        f"{SIM}/_sim{path}",
        method=method,
        data=None if body is None else body.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT + 5) as res:  # noqa: S310 (loopback only)
            return json.loads(res.read())
    except urllib.error.HTTPError as e:
        raise StepError(f"control API {method} {path}: HTTP {e.code} {e.read()!r}") from None


async def sim(method: str, path: str, body: str | None = None):
    return await asyncio.to_thread(sim_call, method, path, body)


async def step(name: str, needs: list[str], body) -> None:
    missing = [n for n in needs if not results.get(n)]
    if missing:
        results[name] = False
        print(f"FAIL {LIB} {name}: not run, needs {', '.join(missing)}; frame: {last_frame}", flush=True)
        return
    try:
        await asyncio.wait_for(body(), TIMEOUT)
        results[name] = True
        print(f"PASS {LIB} {name}", flush=True)
    except asyncio.TimeoutError:
        results[name] = False
        print(f"FAIL {LIB} {name}: no outcome within {TIMEOUT:.0f} s; frame: {last_frame}", flush=True)
    except StepError as e:
        results[name] = False
        print(f"FAIL {LIB} {name}: {e}; frame: {last_frame}", flush=True)
    except Exception:  # noqa: BLE001 (a library error is a failed step, reported with its trace)
        results[name] = False
        trace = traceback.format_exc().strip().replace("\n", " | ")
        print(f"FAIL {LIB} {name}: {trace}; frame: {last_frame}", flush=True)


class Waiters:
    """Futures completed by gateway events: wait(kind, match) resolves on the first event of that kind matching."""

    def __init__(self) -> None:
        self._waiting: list[tuple[str, object, asyncio.Future]] = []

    def expect(self, kind: str, match=lambda *_: True) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self._waiting.append((kind, match, fut))
        return fut

    def fire(self, kind: str, *args) -> None:
        for entry in list(self._waiting):
            k, match, fut = entry
            if k == kind and not fut.done() and match(*args):
                fut.set_result(args)
                self._waiting.remove(entry)


def shard_socket(client: disnake.AutoShardedClient, shard_id: int):
    """The aiohttp socket the library writes the shard's gateway payloads to."""
    shard = client._AutoShardedClient__shards.get(shard_id)  # noqa: SLF001
    if shard is None or shard.ws is None or shard.ws.socket.closed:
        raise StepError(f"no open connection for shard {shard_id}")
    return shard.ws.socket


async def main() -> None:
    waiters = Waiters()
    readies: dict[int, dict] = {}
    guild_creates: set[str] = set()
    client = disnake.AutoShardedClient(
        shard_ids=SHARDS,
        shard_count=len(SHARDS),
        intents=disnake.Intents(guilds=True, members=True),
        chunk_guilds_at_startup=False,
        enable_debug_events=True,
    )

    @client.event
    async def on_socket_raw_receive(msg) -> None:
        remember(msg)
        payload = json.loads(msg)
        if payload.get("t") == "READY":
            readies[payload["d"]["shard"][0]] = payload["d"]
        elif payload.get("t") == "GUILD_CREATE":
            guild_creates.add(payload["d"]["id"])
        waiters.fire("raw", payload)

    @client.event
    async def on_ready() -> None:
        waiters.fire("ready")

    @client.event
    async def on_shard_resumed(shard_id: int) -> None:
        waiters.fire("resumed", shard_id)

    @client.event
    async def on_application_command(inter: disnake.ApplicationCommandInteraction) -> None:
        if inter.data.name == "ping":
            await inter.response.send_message(f"pong from {LIB}")

    runner: asyncio.Task | None = None

    async def connect() -> None:
        nonlocal runner
        ready = waiters.expect("ready")
        runner = asyncio.create_task(client.start(TOKEN))
        done, _ = await asyncio.wait({ready, runner}, return_when=asyncio.FIRST_COMPLETED)
        if runner in done:
            raise StepError(f"client stopped before READY: {runner.exception()!r}")
        for s in SHARDS:
            d = readies.get(s)
            if d is None:
                raise StepError(f"shard {s} saw no READY")
            if not isinstance(d.get("session_id"), str) or d.get("shard") != [s, len(SHARDS)]:
                raise StepError(f"shard {s} READY lacks session_id or shard [{s}, 2]")

    async def guilds() -> None:
        for s in SHARDS:
            expected = [str(g) for g in await sim("GET", f"/shards/{s}/guilds?count={len(SHARDS)}")]
            missing = [g for g in expected if g not in guild_creates]
            if not expected or missing:
                raise StepError(f"shard {s}: GUILD_CREATE missing for {', '.join(missing) or '(no guilds)'}")
            cached = [client.get_guild(int(g)) for g in expected]
            if any(g is None or g.shard_id != s for g in cached):
                raise StepError(f"shard {s}: the guild cache misses or misplaces guilds of {expected}")

    async def register_command() -> None:
        created = await client.create_global_command(disnake.SlashCommand(name="ping", description="Replies pong"))
        listed = await sim("GET", "/commands")
        if not any(c.get("name") == "ping" and str(c.get("id")) == str(created.id) for c in listed):
            raise StepError(f"global command {created.id} not listed by the simulator: {listed}")

    async def interaction() -> None:
        guild_id = (await sim("GET", f"/shards/1/guilds?count={len(SHARDS)}"))[0]
        ref = await sim("POST", "/interactions", json.dumps({"name": "ping", "guildId": guild_id}))
        if ref["deliveredTo"] != 1:
            raise StepError(f"interaction delivered to {ref['deliveredTo']} sessions")
        outcome = await sim("GET", f"/interactions/{ref['id']}?timeout_ms={int(TIMEOUT * 1000) - 2000}")
        contents = [
            r.get("content") or r.get("payload", {}).get("data", {}).get("content") for r in outcome.get("replies", [])
        ]
        if outcome.get("finalResponse") is None or f"pong from {LIB}" not in contents:
            raise StepError(f"no reply to interaction {ref['id']}: {outcome}")

    async def resume() -> None:
        before = (await sim("GET", "/stats"))["resumes"]
        resumed = waiters.expect("resumed", lambda sid: sid == 0)
        affected = (await sim("POST", "/shards/0/reconnect"))["affected"]
        if affected != 1:
            raise StepError(f"op 7 reached {affected} sessions")
        await resumed
        after = (await sim("GET", "/stats"))["resumes"]
        if after <= before:
            raise StepError(f"simulator counted no RESUME ({before} -> {after})")

    async def binary_json() -> None:
        guild_id = str((await sim("GET", f"/shards/1/guilds?count={len(SHARDS)}"))[0])
        chunk = waiters.expect(
            "raw",
            lambda p: p.get("t") == "GUILD_MEMBERS_CHUNK" and p["d"].get("nonce") == "conformance-py",
        )
        payload = {"op": 8, "d": {"guild_id": guild_id, "query": "", "limit": 0, "nonce": "conformance-py"}}
        await shard_socket(client, 1).send_bytes(json.dumps(payload).encode())  # a binary frame
        await chunk

    async def close_4002() -> None:
        before = (await sim("GET", "/stats"))["closeCodesSent"].get("4002", 0)
        resumed = waiters.expect("resumed", lambda sid: sid == 1)
        await shard_socket(client, 1).send_str("this is not JSON")
        await resumed  # 4002 is documented as reconnect: true, and disnake resumes
        after = (await sim("GET", "/stats"))["closeCodesSent"].get("4002", 0)
        if after != before + 1:
            raise StepError(f"simulator sent 4002 {after - before} times, expected once")

    try:
        await step("connect", [], connect)
        await step("guilds", ["connect"], guilds)
        await step("register-command", ["connect"], register_command)
        await step("interaction", ["register-command", "guilds"], interaction)
        await step("resume", ["connect"], resume)
        await step("binary-json", ["connect"], binary_json)
        await step("close-4002", ["connect"], close_4002)
    finally:
        await client.close()
        if runner is not None:
            await asyncio.wait({runner}, timeout=TIMEOUT)

    async def close_4014() -> None:
        greedy = disnake.AutoShardedClient(
            shard_ids=[0],
            shard_count=len(SHARDS),
            intents=disnake.Intents(guilds=True, presences=True),
            enable_debug_events=True,
        )
        greedy.event(on_socket_raw_receive)
        try:
            await greedy.start(TOKEN)
            raise StepError("client ran without being refused")
        except disnake.PrivilegedIntentsRequired:
            pass  # close 4014, surfaced as the library documents
        finally:
            await greedy.close()

    async def close_4004() -> None:
        bad = disnake.AutoShardedClient(shard_ids=[0], shard_count=len(SHARDS), intents=disnake.Intents(guilds=True))
        try:
            await bad.login(TOKEN)
            gateway = await bad.http.get_bot_gateway()

            async def cached_gateway(**_kwargs):
                return gateway

            # GET /gateway/bot would already refuse a bad token (401): hand the library its answer, so that the
            # bad token reaches IDENTIFY.
            bad.http.get_bot_gateway = cached_gateway
            bad.http.token = "not-the-token"
            await bad.connect()
            raise StepError("client ran without being refused")
        except disnake.ConnectionClosed as e:
            if e.code != 4004:
                raise StepError(f"closed with {e.code}, expected 4004 Authentication failed") from None
        finally:
            await bad.close()

    await step("close-4014", [], close_4014)
    await step("close-4004", [], close_4004)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except Exception:  # noqa: BLE001
        print(f"FAIL {LIB} harness: {traceback.format_exc()!r}; frame: {last_frame}", flush=True)
    for s in STEPS:
        if s not in results:
            print(f"FAIL {LIB} {s}: not reached; frame: {last_frame}", flush=True)
    sys.exit(0 if all(results.get(s) for s in STEPS) else 1)
