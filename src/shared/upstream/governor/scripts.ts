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
 * plus, for window-mode limits, a short-lived hash of per-cell counts (`<prefix>:b:<bucket>:win`),
 * and one sorted set (`<prefix>:buckets`) of bucket names scored by last use.
 * All keys share the caller's hash-tagged prefix, so they sit in one Redis Cluster slot, and
 * every key is passed in KEYS.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * KEYS: bucket hashes (nb of them), index zset, then window-count hashes.
 * ARGV: maxAheadMs, ttlMs, nb, nLimits, dailyLimit (0 = none; applies to KEYS[1]),
 *       bucket names (nb), then per limit 7 values: mode, keyIndex, field, p1, p2, cost, limit, where
 *       mode 's' (spacing): p1 = emissionMs, p2 = toleranceMs, state in field `tat:<name>`;
 *       mode 'w' (window):  p1 = cellMs, p2 = cells per window, counts in fields `<name>:<cell>`.
 * Returns {reserved 0|1, ceil(waitMs), reason, slot epoch ms as string}.
 *
 * Spacing is GCRA with zero tolerance: a slot is the latest of now, blockedUntil and every
 * limit's TAT, and booking moves each TAT to slot + cost × emission. It never bursts, which is
 * what a strict sliding window upstream requires, but it needs slots booked in time order; a limit
 * shared by several buckets (whose slots interleave) uses cell counts instead, and can only push
 * the slot later, so it is applied after the lower bounds.
 *
 * The daily budget counts requests per UTC day of Redis's clock, by booking time: a slot booked
 * in the last maxAheadMs before midnight counts against the day it was booked in.
 */
export const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local maxAhead = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local nb = tonumber(ARGV[3])
local nl = tonumber(ARGV[4])
local dailyLimit = tonumber(ARGV[5])
local a = 6
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
  local l = { mode = ARGV[a], key = KEYS[tonumber(ARGV[a + 1])], field = ARGV[a + 2],
    p1 = tonumber(ARGV[a + 3]), p2 = tonumber(ARGV[a + 4]), cost = tonumber(ARGV[a + 5]), limit = tonumber(ARGV[a + 6]) }
  a = a + 7
  if l.mode == 's' then
    l.tat = tonumber(redis.call('HGET', l.key, l.field) or 0)
    if l.tat - l.p2 > earliest then earliest = l.tat - l.p2; reason = 'rate' end
  end
  lims[j] = l
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
-- Any run of k+1 cells containing slot cell c must leave room for cost.
local function windowFull(l, slot)
  local c = math.floor(slot / l.p1)
  local k = l.p2
  local fields = {}
  for x = c - k, c + k do fields[#fields + 1] = l.field .. ':' .. string.format('%d', x) end
  local vals = redis.call('HMGET', l.key, unpack(fields))
  for s = 1, k + 1 do
    local sum = 0
    for i = s, s + k do sum = sum + (tonumber(vals[i]) or 0) end
    if sum + l.cost > l.limit then return true end
  end
  return false
end
local moved = true
local guard = 0
while moved and earliest - now <= maxAhead and guard < 100 do
  moved = false
  guard = guard + 1
  for j = 1, nl do
    local l = lims[j]
    if l.mode == 'w' and windowFull(l, earliest) then
      earliest = (math.floor(earliest / l.p1) + 1) * l.p1
      reason = 'rate'
      moved = true
    end
  end
end
local wait = earliest - now
if wait > maxAhead then
  return { 0, math.ceil(wait), reason, string.format('%.3f', earliest) }
end
for j = 1, nl do
  local l = lims[j]
  if l.mode == 's' then
    local base = l.tat
    if earliest > base then base = earliest end
    redis.call('HSET', l.key, l.field, string.format('%.3f', base + l.cost * l.p1))
  else
    local c = math.floor(earliest / l.p1)
    local cNow = math.floor(now / l.p1)
    redis.call('HINCRBY', l.key, l.field .. ':' .. string.format('%d', c), l.cost)
    -- Cells older than any window we still check; the key's TTL covers longer idle gaps.
    local stale = {}
    for x = cNow - 4 * l.p2 - 2, cNow - l.p2 - 2 do stale[#stale + 1] = l.field .. ':' .. string.format('%d', x) end
    redis.call('HDEL', l.key, unpack(stale))
    redis.call('PEXPIRE', l.key, math.ceil((3 * l.p2 + 2) * l.p1 + maxAhead))
  end
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

/**
 * KEYS: a window-count hash. ARGV: field (`<limit>:<cell>`), units to give back.
 * Corrects an estimate once the real cost is known (an LLM call's reserved output it never
 * used): only a cell that is still counted, and never below zero.
 * Returns the cell's count after the refund (-1 when the cell is gone).
 */
export const REFUND_LUA = `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
if not cur then return -1 end
local nxt = math.max(0, cur - tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], ARGV[1], nxt)
return nxt
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
export const refundScript = new LuaScript(REFUND_LUA);
