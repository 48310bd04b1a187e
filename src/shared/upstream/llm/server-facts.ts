/**
 * What the fleet has learned about one LLM server and model, shared by every process through one
 * Redis hash per (base URL, model): the context window and where it came from, the largest prompt
 * the server answered, and per prompt kind how the server's token count compares with the
 * fleet's (the correction factor). Every update is one small Lua script, so concurrent processes
 * can only lower the window and raise the proven size, never undo each other.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LuaScript } from '../governor/scripts.ts';

/**
 * Where a window came from. `probe`: a runtime field the server reported; `trained`: the model's
 * trained context (an upper bound only); `refusal`: a context-length refusal; `truncation`: an
 * answer whose prompt the server had cut (Ollama); `guess`: a refusal that named no numbers.
 */
export type WindowSource = 'probe' | 'trained' | 'refusal' | 'truncation' | 'guess';

export interface TokenRatio {
  /** Smoothed server tokens ÷ fleet tokens for this kind of prompt. */
  ratio: number;
  samples: number;
}

export interface ServerFacts {
  /** The window in the server's tokens, when known or assumed from the trained context. */
  windowTokens?: number;
  windowSource?: WindowSource;
  /** Human-readable origin (`GET /props default_generation_settings.n_ctx`, a refusal's dialect). */
  windowDetail?: string;
  /** True once some process asked the server (whatever it answered). */
  probed: boolean;
  /** Largest prompt (server tokens) the server has answered in full. */
  provenPromptTokens: number;
  /** Correction factors by prompt kind (the structured-output schema name, or a caller's label). */
  ratios: Record<string, TokenRatio>;
}

export interface ServerFactsStore {
  read(): Promise<ServerFacts>;
  /** Takes the once-per-fleet probe lock for `ttlMs`; true for the one process that should probe. */
  claimProbe(ttlMs: number): Promise<boolean>;
  /** Records a probe's answer (a window only if none is known yet) and marks the server probed. */
  recordProbe(window: { tokens: number; source: WindowSource; detail: string } | null): Promise<void>;
  /** Sets the window to `tokens` if it is smaller than the known one (or none is known, or it was only trained/assumed). */
  lowerWindow(tokens: number, source: WindowSource, detail: string): Promise<void>;
  /** Raises the proven prompt size to `tokens` if larger. */
  raiseProven(tokens: number): Promise<void>;
  /** Folds one server/fleet token-count sample into the kind's factor (see RATIO_LUA). */
  addRatioSample(kind: string, sample: number): Promise<void>;
}

/** Facts expire a day after they were last learned, so a server restarted with a larger window is re-probed. */
export const FACTS_TTL_MS = 24 * 3600 * 1000;

/** Weight of a new sample that lowers a factor; one that raises it is taken whole (erring towards smaller prompts). */
export const RATIO_SMOOTHING = 0.2;

const WINDOW_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'window'))
local src = redis.call('HGET', KEYS[1], 'windowSource')
local new = tonumber(ARGV[1])
if ARGV[4] == 'probe' then
  if cur then return 0 end
elseif cur and src ~= 'trained' and cur <= new then
  return 0
end
redis.call('HSET', KEYS[1], 'window', new, 'windowSource', ARGV[2], 'windowDetail', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

const PROVEN_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'proven') or 0)
if tonumber(ARGV[1]) > cur then redis.call('HSET', KEYS[1], 'proven', ARGV[1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

/** A sample above the factor replaces it; one below moves it by RATIO_SMOOTHING. */
const RATIO_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'ratio:' .. ARGV[1]))
local n = tonumber(redis.call('HGET', KEYS[1], 'samples:' .. ARGV[1]) or 0)
local s = tonumber(ARGV[2])
local nxt = s
if cur and s < cur then nxt = cur + (s - cur) * tonumber(ARGV[3]) end
redis.call('HSET', KEYS[1], 'ratio:' .. ARGV[1], string.format('%.5f', nxt), 'samples:' .. ARGV[1], n + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

const windowScript = new LuaScript(WINDOW_LUA);
const provenScript = new LuaScript(PROVEN_LUA);
const ratioScript = new LuaScript(RATIO_LUA);

/** The facts hash of a server and model; the URL is hashed (it may carry a tenant or a key). */
export function factsKey(prefix: string, baseUrl: string, model: string): string {
  const id = createHash('sha256').update(`${baseUrl.replace(/\/+$/, '')}\n${model}`).digest('hex').slice(0, 16);
  return `${prefix}:llm:server:${id}`;
}

export function redisFactsStore(redis: Redis, key: string): ServerFactsStore {
  const ttl = String(FACTS_TTL_MS);
  return {
    async read() {
      return factsOf(await redis.hgetall(key));
    },
    async claimProbe(ttlMs) {
      return (await redis.set(`${key}:probe`, '1', 'PX', ttlMs, 'NX')) === 'OK';
    },
    async recordProbe(window) {
      if (window) await windowScript.run(redis, [key], [window.tokens, window.source, window.detail, 'probe', ttl]);
      await redis.multi().hset(key, 'probed', '1').pexpire(key, FACTS_TTL_MS).exec();
    },
    async lowerWindow(tokens, source, detail) {
      await windowScript.run(redis, [key], [Math.floor(tokens), source, detail, 'learn', ttl]);
    },
    async raiseProven(tokens) {
      await provenScript.run(redis, [key], [Math.floor(tokens), ttl]);
    },
    async addRatioSample(kind, sample) {
      await ratioScript.run(redis, [key], [kind, sample, RATIO_SMOOTHING, ttl]);
    },
  };
}

/** The same rules in memory, for a client without Redis (one-off scripts, the benchmark's baseline). */
export function memoryFactsStore(): ServerFactsStore {
  const h: Record<string, string> = {};
  let claimed = false;
  const setWindow = (tokens: number, source: WindowSource, detail: string, mode: 'probe' | 'learn') => {
    const cur = h.window === undefined ? undefined : Number(h.window);
    if (mode === 'probe' ? cur !== undefined : cur !== undefined && h.windowSource !== 'trained' && cur <= tokens) return;
    Object.assign(h, { window: String(Math.floor(tokens)), windowSource: source, windowDetail: detail });
  };
  return {
    read: async () => factsOf({ ...h }),
    claimProbe: async () => !claimed && (claimed = true),
    async recordProbe(window) {
      if (window) setWindow(window.tokens, window.source, window.detail, 'probe');
      h.probed = '1';
    },
    lowerWindow: async (tokens, source, detail) => setWindow(tokens, source, detail, 'learn'),
    async raiseProven(tokens) {
      if (tokens > Number(h.proven ?? 0)) h.proven = String(Math.floor(tokens));
    },
    async addRatioSample(kind, sample) {
      const cur = h[`ratio:${kind}`] === undefined ? undefined : Number(h[`ratio:${kind}`]);
      h[`ratio:${kind}`] = String(cur !== undefined && sample < cur ? cur + (sample - cur) * RATIO_SMOOTHING : sample);
      h[`samples:${kind}`] = String(Number(h[`samples:${kind}`] ?? 0) + 1);
    },
  };
}

function factsOf(h: Record<string, string>): ServerFacts {
  const ratios: Record<string, TokenRatio> = {};
  for (const [field, value] of Object.entries(h)) {
    if (!field.startsWith('ratio:')) continue;
    const kind = field.slice('ratio:'.length);
    const ratio = Number(value);
    if (ratio > 0) ratios[kind] = { ratio, samples: Number(h[`samples:${kind}`] ?? 1) };
  }
  const window = Number(h.window);
  return {
    ...(window > 0 ? { windowTokens: window, windowSource: h.windowSource as WindowSource } : {}),
    ...(h.windowDetail ? { windowDetail: h.windowDetail } : {}),
    probed: h.probed === '1',
    provenPromptTokens: Number(h.proven ?? 0) || 0,
    ratios,
  };
}
