/**
 * The governor's Lua. Every decision runs inside one script so that reading the state of all
 * limits, deciding, and reserving the slot is atomic across every process in the fleet, and every
 * clock reading is Redis's `TIME`, so workers on machines with skewed clocks still agree.
 *
 * State: one hash per bucket (`<prefix>:b:<bucket>`) with fields
 *   tat:<limit>   GCRA theoretical arrival time, epoch ms (server clock)
 *   blockedUntil  epoch ms before which nobody may call (learned from headers)
 *   day, dayCalls UTC day number and requests reserved in it
 *   calls, r429, waitMs   lifetime counters for the dashboard
 * plus one sorted set (`<prefix>:buckets`) of bucket names scored by last use.
 * All keys share the caller's hash-tagged prefix, so they sit in one Redis Cluster slot, and
 * every key is passed in KEYS.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * KEYS: bucket hashes..., index zset (last).
 * ARGV: maxAheadMs, ttlMs, nLimits, dailyLimit (0 = none; applies to KEYS[1]),
 *       bucket names (one per hash), then per limit: keyIndex, field, emissionMs, toleranceMs, cost.
 * Returns {reserved 0|1, ceil(waitMs), reason, slot epoch ms as string}.
 *
 * GCRA with zero tolerance is plain even spacing: a slot is the latest of now, blockedUntil and
 * every limit's TAT; reserving moves each TAT to slot + cost × emission. Unlike a token bucket it
 * never bursts, which is what a strict sliding window upstream requires.
 */
export const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local nb = #KEYS - 1
local maxAhead = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local nl = tonumber(ARGV[3])
local dailyLimit = tonumber(ARGV[4])
local a = 5
local names = {}
for i = 1, nb do names[i] = ARGV[a]; a = a + 1 end
local earliest = now
local reason = ''
for i = 1, nb do
  local bu = tonumber(redis.call('HGET', KEYS[i], 'blockedUntil') or 0)
  if bu > earliest then earliest = bu; reason = 'blocked' end
end
local lims = {}
for j = 1, nl do
  local ki = tonumber(ARGV[a]); local field = ARGV[a + 1]
  local em = tonumber(ARGV[a + 2]); local tol = tonumber(ARGV[a + 3]); local cost = tonumber(ARGV[a + 4])
  a = a + 5
  local tat = tonumber(redis.call('HGET', KEYS[ki], field) or 0)
  if tat - tol > earliest then earliest = tat - tol; reason = 'rate' end
  lims[j] = { ki, field, em, cost, tat }
end
local day = math.floor(now / 86400000)
if dailyLimit > 0 then
  local d = redis.call('HMGET', KEYS[1], 'day', 'dayCalls')
  local used = 0
  if tonumber(d[1]) == day then used = tonumber(d[2]) or 0 end
  if used + 1 > dailyLimit then
    local nextDay = (day + 1) * 86400000
    if nextDay > earliest then earliest = nextDay; reason = 'daily' end
  end
end
local wait = earliest - now
if wait > maxAhead then
  return { 0, math.ceil(wait), reason, string.format('%.3f', earliest) }
end
for j = 1, nl do
  local l = lims[j]
  local base = l[5]
  if earliest > base then base = earliest end
  redis.call('HSET', KEYS[l[1]], l[2], string.format('%.3f', base + l[4] * l[3]))
end
for i = 1, nb do
  local d = redis.call('HGET', KEYS[i], 'day')
  if tonumber(d or -1) ~= day then redis.call('HSET', KEYS[i], 'day', day, 'dayCalls', 0) end
  redis.call('HINCRBY', KEYS[i], 'dayCalls', 1)
  redis.call('HINCRBY', KEYS[i], 'calls', 1)
  redis.call('HINCRBYFLOAT', KEYS[i], 'waitMs', string.format('%.3f', wait))
  local bu = tonumber(redis.call('HGET', KEYS[i], 'blockedUntil') or 0)
  redis.call('PEXPIRE', KEYS[i], math.ceil(math.max(ttl, bu - now + ttl)))
  redis.call('ZADD', KEYS[nb + 1], math.floor(now), names[i])
end
return { 1, math.ceil(wait), reason, string.format('%.3f', earliest) }
`;

/**
 * KEYS: bucket hash, index zset.
 * ARGV: bucket name, blockMs (0 = none), is429 (0|1), ttlMs, adjust field ('' = none), adjustMs.
 * A block only ever moves blockedUntil later. `adjustMs` corrects a limit's TAT once the real
 * cost is known (negative refunds an over-estimate, never into the past).
 * Returns {blockedUntil epoch ms as string, ceil(ms from now until then)}.
 */
export const OBSERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local blockMs = tonumber(ARGV[2])
local ttl = tonumber(ARGV[4])
local bu = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil') or 0)
if blockMs > 0 and now + blockMs > bu then
  bu = now + blockMs
  redis.call('HSET', KEYS[1], 'blockedUntil', string.format('%.3f', bu))
end
if ARGV[3] == '1' then redis.call('HINCRBY', KEYS[1], 'r429', 1) end
if ARGV[5] ~= '' then
  local adj = tonumber(ARGV[6])
  local tat = tonumber(redis.call('HGET', KEYS[1], ARGV[5]) or 0)
  local nt = nil
  if adj > 0 then nt = math.max(tat, now) + adj
  elseif tat > now then nt = math.max(now, tat + adj) end
  if nt then redis.call('HSET', KEYS[1], ARGV[5], string.format('%.3f', nt)) end
end
redis.call('PEXPIRE', KEYS[1], math.ceil(math.max(ttl, bu - now + ttl)))
redis.call('ZADD', KEYS[2], math.floor(now), ARGV[1])
return { string.format('%.3f', bu), math.ceil(math.max(0, bu - now)) }
`;

/** A script run by `EVALSHA`, falling back to `EVAL` once after a `NOSCRIPT` (e.g. after a flush or failover). */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

export const reserveScript = new LuaScript(RESERVE_LUA);
export const observeScript = new LuaScript(OBSERVE_LUA);
