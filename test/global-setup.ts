/**
 * Makes sure a real Redis answers before any test runs (REDIS_URL → 127.0.0.1:6379 → a private
 * redis-server on a free port), and shares its URL with every test file.
 */
import type { TestProject } from 'vitest/node';
import { resolveRedis } from '../src/shared/platform/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const resolved = await resolveRedis({ url: process.env.REDIS_URL || undefined });
  process.env.REDIS_URL = resolved.url;
  project.provide('redisUrl', resolved.url);
  return async () => {
    await resolved.stop();
  };
}
