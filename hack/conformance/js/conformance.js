'use strict';
// discord.js against hack/discord-sim. Prints one "PASS <library> <step>" or "FAIL <library> <step>: <why>; frame: <last
// gateway frame>" line per step. Env: SIM_URL (http://127.0.0.1:PORT), SIM_TOKEN. Every wait is on an event, with a
// timeout; nothing sleeps.
const { Client, GatewayIntentBits, Events } = require('discord.js');
const { WebSocketManager, WebSocketShardEvents } = require('@discordjs/ws');
const { REST } = require('@discordjs/rest');

const LIB = `discord.js@${require('discord.js').version}`;
const SIM = process.env.SIM_URL;
const TOKEN = process.env.SIM_TOKEN;
const SHARDS = [0, 1];
const TIMEOUT_MS = Number(process.env.STEP_TIMEOUT_MS || 20000);
const STEPS = [
  'connect', 'guilds', 'register-command', 'interaction', 'resume', 'binary-json', 'close-4002', 'close-4014',
  'close-4004',
];

let lastFrame = '(none)';
const results = new Map();

function remember(frame) {
  const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
  lastFrame = text.length > 400 ? `${text.slice(0, 400)}...` : text;
}

class StepError extends Error {}

/** Control-API JSON with snowflakes kept exact: Java longs above 2^53 become strings before JSON.parse. */
function parseExact(text) {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
}

async function sim(method, path, body) {
  const res = await fetch(`${SIM}/_sim${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new StepError(`control API ${method} ${path}: HTTP ${res.status} ${text}`);
  return parseExact(text);
}

/** Resolves with the first emission of `event` on `emitter` that `match` accepts, else rejects after the timeout. */
function waitFor(emitter, event, match = () => true, what = event) {
  const waiting = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new StepError(`no ${what} within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    function listener(...args) {
      if (!match(...args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    }
    emitter.on(event, listener);
  });
  waiting.catch(() => {}); // handled by whoever awaits it; a step that fails earlier never does
  return waiting;
}

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new StepError(`${what} did not finish within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function step(name, needs, body) {
  const missing = needs.filter(n => results.get(n) !== true);
  if (missing.length > 0) {
    results.set(name, false);
    console.log(`FAIL ${LIB} ${name}: not run, needs ${missing.join(', ')}; frame: ${lastFrame}`);
    return;
  }
  try {
    await body();
    results.set(name, true);
    console.log(`PASS ${LIB} ${name}`);
  } catch (e) {
    results.set(name, false);
    console.log(`FAIL ${LIB} ${name}: ${e instanceof StepError ? e.message : e.stack}; frame: ${lastFrame}`);
  }
}

function clientOptions(intents) {
  return {
    intents,
    shards: SHARDS,
    shardCount: SHARDS.length,
    rest: { api: `${SIM}/api` },
  };
}

function wsShard(client, id) {
  // discord.js 14 runs @discordjs/ws underneath; its shard holds the `ws` socket the library writes to.
  const shard = client.ws._ws?.strategy?.shards?.get(id);
  if (!shard?.connection) throw new StepError(`no open @discordjs/ws connection for shard ${id}`);
  return shard;
}

async function main() {
  const client = new Client(clientOptions([GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers]));
  const guildCreates = new Map(SHARDS.map(s => [s, new Set()]));
  const readies = new Map();
  const closes = [];
  client.on(Events.Raw, (packet, shardId) => {
    remember(packet);
    if (packet.t === 'READY') readies.set(shardId, packet.d);
    if (packet.t === 'GUILD_CREATE') guildCreates.get(shardId)?.add(packet.d.id);
  });
  client.on(Events.ShardError, error => remember(`shard error: ${error.message}`));
  client.on(Events.InteractionCreate, async interaction => {
    if (interaction.isChatInputCommand() && interaction.commandName === 'ping') {
      await interaction.reply(`pong from ${LIB}`);
    }
  });

  try {
    await step('connect', [], async () => {
      const ready = waitFor(client, Events.ClientReady, () => true, 'ClientReady (every shard READY)');
      await withTimeout(client.login(TOKEN), 'login');
      await ready;
      client.ws._ws.on(WebSocketShardEvents.Closed, ({ code, shardId }) => {
        closes.push({ code, shardId });
        remember(`close ${code} on shard ${shardId}`);
      });
      for (const s of SHARDS) {
        const d = readies.get(s);
        if (!d) throw new StepError(`shard ${s} saw no READY`);
        if (typeof d.session_id !== 'string' || !Array.isArray(d.shard) || d.shard[0] !== s || d.shard[1] !== 2) {
          throw new StepError(`shard ${s} READY lacks session_id or shard [${s}, 2]`);
        }
      }
    });

    await step('guilds', ['connect'], async () => {
      for (const s of SHARDS) {
        const expected = (await sim('GET', `/shards/${s}/guilds?count=${SHARDS.length}`)).map(String);
        const seen = guildCreates.get(s);
        const missing = expected.filter(id => !seen.has(id));
        if (expected.length === 0 || missing.length > 0) {
          throw new StepError(`shard ${s}: GUILD_CREATE missing for ${missing.join(', ') || '(no guilds)'}`);
        }
        const cached = expected.filter(id => client.guilds.cache.get(id)?.shardId === s);
        if (cached.length !== expected.length) throw new StepError(`shard ${s}: guild cache holds ${cached.length}`);
      }
    });

    await step('register-command', ['connect'], async () => {
      const created = await client.application.commands.create({ name: 'ping', description: 'Replies pong' });
      const listed = await sim('GET', '/commands');
      if (!listed.some(c => c.name === 'ping' && String(c.id) === created.id)) {
        throw new StepError(`global command ${created.id} not listed by the simulator: ${JSON.stringify(listed)}`);
      }
    });

    await step('interaction', ['register-command', 'guilds'], async () => {
      const guildId = [...guildCreates.get(1)][0];
      const ref = await sim('POST', '/interactions', `{"name":"ping","guildId":${guildId}}`);
      if (ref.deliveredTo !== 1) throw new StepError(`interaction delivered to ${ref.deliveredTo} sessions`);
      const outcome = await sim('GET', `/interactions/${ref.id}?timeout_ms=${TIMEOUT_MS}`);
      const content = (outcome.replies || []).map(r => r.content ?? r.payload?.data?.content ?? r.payload?.content);
      if (outcome.finalResponse == null || !content.includes(`pong from ${LIB}`)) {
        throw new StepError(`no reply to interaction ${ref.id}: ${JSON.stringify(outcome)}`);
      }
    });

    await step('resume', ['connect'], async () => {
      const before = (await sim('GET', '/stats')).resumes;
      const resumed = waitFor(client, Events.ShardResume, id => id === 0, 'shardResume for shard 0');
      const { affected } = await sim('POST', '/shards/0/reconnect');
      if (affected !== 1) throw new StepError(`op 7 reached ${affected} sessions`);
      await resumed;
      const after = (await sim('GET', '/stats')).resumes;
      if (after <= before) throw new StepError(`simulator counted no RESUME (${before} -> ${after})`);
    });

    await step('binary-json', ['connect', 'guilds'], async () => {
      const guildId = [...guildCreates.get(1)][0];
      const chunk = waitFor(client, Events.Raw, p => p.t === 'GUILD_MEMBERS_CHUNK' && p.d.nonce === 'conformance-js',
        'GUILD_MEMBERS_CHUNK for the binary op 8');
      const payload = { op: 8, d: { guild_id: guildId, query: '', limit: 0, nonce: 'conformance-js' } };
      wsShard(client, 1).connection.send(Buffer.from(JSON.stringify(payload), 'utf8')); // a binary frame
      await chunk;
      if (closes.some(c => c.shardId === 1)) throw new StepError(`shard 1 was closed: ${JSON.stringify(closes)}`);
    });

    await step('close-4002', ['connect'], async () => {
      const closed = waitFor(client.ws._ws, WebSocketShardEvents.Closed, ({ shardId }) => shardId === 1,
        'close on shard 1');
      const resumed = waitFor(client, Events.ShardResume, id => id === 1, 'shardResume for shard 1 after 4002');
      wsShard(client, 1).connection.send('this is not JSON');
      const [{ code }] = await closed;
      if (code !== 4002) throw new StepError(`closed with ${code}, expected 4002 Decode error`);
      await resumed; // 4002 is documented as reconnect: true
    });
  } finally {
    await client.destroy();
  }

  await step('close-4014', [], async () => {
    const greedy = new Client({ ...clientOptions([GatewayIntentBits.Guilds, GatewayIntentBits.GuildPresences]),
      shards: [0] });
    greedy.on(Events.Raw, remember);
    greedy.on(Events.ShardError, () => {});
    try {
      const disconnected = waitFor(greedy, Events.ShardDisconnect, () => true, 'shardDisconnect');
      greedy.login(TOKEN).catch(() => {}); // the outcome is the shard's close, not login's promise
      const [event] = await disconnected;
      if (event.code !== 4014) throw new StepError(`shard disconnected with ${event.code}, expected 4014`);
    } finally {
      await greedy.destroy();
    }
  });

  await step('close-4004', [], async () => {
    const info = await new REST({ api: `${SIM}/api` }).setToken(TOKEN).get('/gateway/bot');
    const manager = new WebSocketManager({
      token: 'not-the-token',
      intents: GatewayIntentBits.Guilds,
      shardIds: [0],
      shardCount: 2,
      rest: new REST({ api: `${SIM}/api` }).setToken('not-the-token'),
    });
    manager.fetchGatewayInformation = async () => info; // skip REST so the bad token reaches IDENTIFY
    manager.on(WebSocketShardEvents.Error, () => {});
    try {
      const closed = waitFor(manager, WebSocketShardEvents.Closed, () => true, 'close after a bad-token IDENTIFY');
      manager.connect().catch(() => {});
      const [{ code }] = await closed;
      if (code !== 4004) throw new StepError(`closed with ${code}, expected 4004 Authentication failed`);
    } finally {
      await manager.destroy().catch(() => {});
    }
  });
}

main()
  .catch(e => console.log(`FAIL ${LIB} harness: ${e.stack}; frame: ${lastFrame}`))
  .finally(() => {
    for (const s of STEPS) if (!results.has(s)) console.log(`FAIL ${LIB} ${s}: not reached; frame: ${lastFrame}`);
    process.exit([...results.values()].every(Boolean) && results.size === STEPS.length ? 0 : 1);
  });
