/**
 * A whole fleet for integration tests: the real sandbox over HTTP, a real Redis with a unique
 * prefix, producer-side services in the test process, and the environment worker processes need.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/index.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.ts';
import type { CallRef, RunPlan } from '../../src/shared/domain/index.ts';
import { silentLogger } from '../../src/shared/platform/index.ts';
import { createServices, type FleetServices } from '../../src/app/index.ts';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix } from './redis.ts';

export interface TestFleet {
  sandbox: Sandbox;
  env: Record<string, string>;
  prefix: string;
  redis: Redis;
  services: FleetServices;
  /** Deals account (Globex, Acme, Initech…). */
  accountId: string;
  close(): Promise<void>;
}

export interface TestFleetOptions {
  sandbox?: SandboxOptions;
  env?: Record<string, string>;
  label?: string;
  /** Key prefix (GONG_FLEET_PREFIX), deleted on close. Default: a unique `{gf-<label>-<hex>}`. */
  prefix?: string;
}

export async function startTestFleet(opts: TestFleetOptions = {}): Promise<TestFleet> {
  const sandbox = await startSandbox({ port: 0, ...opts.sandbox });
  const prefix = opts.prefix ?? uniquePrefix(opts.label ?? 'fleet');
  const env: Record<string, string> = {
    ...sandbox.env,
    REDIS_URL: testRedisUrl(),
    GONG_FLEET_PREFIX: prefix,
    ...opts.env,
  };
  const redis = testRedis('worker');
  const services = createServices(loadConfig({}, env), redis, silentLogger);
  const account = sandbox.world.accounts[0];
  if (!account) throw new Error('sandbox has no accounts');
  return {
    sandbox,
    env,
    prefix,
    redis,
    services,
    accountId: account.id,
    async close() {
      await services.queues.close();
      await deletePrefix(redis, prefix);
      redis.disconnect();
      await sandbox.close();
    },
  };
}

/** The header the map prompt opens with (shared/domain/summaries/prompts.ts), naming one call. */
export const promptHeader = (c: CallRef): string => `Call: ${c.title} (${c.started.slice(0, 10)})`;

/**
 * Makes the sandbox model answer 500 to every prompt about one call of the plan (one whose prompt
 * header no other call shares), so that call's summary fails every attempt. Returns that call.
 */
export function failOneCall(fleet: TestFleet, plan: RunPlan): CallRef {
  const headers = plan.calls.map(promptHeader);
  const doomed = plan.calls.find((c) => headers.filter((h) => h === promptHeader(c)).length === 1);
  if (!doomed) throw new Error('no call with a unique prompt header');
  fleet.sandbox.setLlmFaults({ failWhenPromptContains: [promptHeader(doomed)] });
  return doomed;
}
