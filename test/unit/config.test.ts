import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

describe('loadConfig', () => {
  it('gives a default for every knob', () => {
    const c = loadConfig({});
    expect(c.TRUTO_BASE_URL).toBe('https://api.truto.one');
    expect(c.GONG_PER_SECOND).toBe(3);
    expect(c.GONG_PER_DAY).toBe(10_000);
    expect(c.TRUTO_PER_ACCOUNT_PER_10S).toBe(50);
    expect(c.GONG_FLEET_PREFIX).toBe('{gong-fleet}');
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.GONG_FLEET_ACCOUNT_LIMITS).toEqual({});
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('treats empty strings as unset and coerces numbers', () => {
    const c = loadConfig({ LOG_LEVEL: '', GONG_PER_SECOND: '10', WORKER_CONCURRENCY: '3' });
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.GONG_PER_SECOND).toBe(10);
    expect(c.WORKER_CONCURRENCY).toBe(3);
  });

  it('reports every bad value on its own line naming the variable', () => {
    let err: unknown;
    try {
      loadConfig({ REDIS_URL: 'not a url', LOG_LEVEL: 'loud', GONG_PER_DAY: '-5', GONG_FLEET_PREFIX: 'nobraces' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.some((p) => p.startsWith('invalid REDIS_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('invalid LOG_LEVEL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('invalid GONG_PER_DAY'))).toBe(true);
    expect(problems.some((p) => p.startsWith('invalid GONG_FLEET_PREFIX'))).toBe(true);
  });

  it('parses per-account limit overrides and rejects unknown fields', () => {
    const c = loadConfig({ GONG_FLEET_ACCOUNT_LIMITS: '{"acc-1":{"gongPerSecond":10}}' });
    expect(c.GONG_FLEET_ACCOUNT_LIMITS).toEqual({ 'acc-1': { gongPerSecond: 10 } });
    expect(() => loadConfig({ GONG_FLEET_ACCOUNT_LIMITS: '{"acc-1":{"perSecond":10}}' })).toThrow(/GONG_FLEET_ACCOUNT_LIMITS/);
    expect(() => loadConfig({ GONG_FLEET_ACCOUNT_LIMITS: 'nope' })).toThrow(/GONG_FLEET_ACCOUNT_LIMITS/);
  });

  it('lets overrides win over the environment', () => {
    const c = loadConfig({ OPENAI_MODEL: 'a' }, { OPENAI_MODEL: 'b' });
    expect(c.OPENAI_MODEL).toBe('b');
  });
});
