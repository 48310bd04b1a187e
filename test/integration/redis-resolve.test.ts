import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { pingTcp, resolveRedis, startPrivateRedis } from '../../src/shared/platform/index.ts';

describe('Redis resolver', () => {
  it('uses REDIS_URL when given, without probing', async () => {
    const r = await resolveRedis({ url: 'redis://10.255.255.1:1' });
    expect(r).toMatchObject({ url: 'redis://10.255.255.1:1', source: 'env' });
  });

  it('starts a private redis-server when nothing else answers, and stops it', async () => {
    const r = await resolveRedis({ tryLocal: false, allowContainer: false });
    expect(r.source).toBe('private');
    const port = Number(new URL(r.url).port);
    const client = new Redis(r.url, { maxRetriesPerRequest: 1 });
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await r.stop();
    expect(await pingTcp('127.0.0.1', port)).toBe(false);
  });

  it('a private server with AOF keeps data across kill -9 and restart', async () => {
    const r = await startPrivateRedis({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    const client = new Redis(r.url, { maxRetriesPerRequest: null });
    await client.set('k', 'v');
    await r.kill('SIGKILL');
    await r.restart();
    await new Promise((res) => setTimeout(res, 300));
    expect(await client.get('k')).toBe('v');
    client.disconnect();
    await r.stop();
  });

  it('says how to get Redis when nothing is available', async () => {
    await expect(resolveRedis({ tryLocal: false, allowPrivate: false, allowContainer: false })).rejects.toThrow(
      /docker compose up -d redis/,
    );
  });
});
