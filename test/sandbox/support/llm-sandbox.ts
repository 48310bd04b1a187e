/**
 * A real sandbox (HTTP on a free port) whose model plays a given server, with the official `openai`
 * client and a raw `fetch` helper pointed at it, for the tests of the model's server profiles.
 */
import OpenAI from 'openai';
import { afterEach } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.ts';
import type { LlmOptions } from '../../../src/sandbox/llm/options.ts';

export interface LlmSandbox {
  sb: Sandbox;
  model: string;
  /** The official client; no retries unless asked, so every refusal is seen as it was sent. */
  client(opts?: { maxRetries?: number }): OpenAI;
  /** A raw request to `path` (from the server root), with the sandbox key unless `auth` is false. */
  raw(method: string, path: string, body?: unknown, auth?: boolean): Promise<RawResponse>;
  /** POST /v1/chat/completions with a single user message. */
  chat(content: string, extra?: Record<string, unknown>): Promise<RawResponse>;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

const open: Sandbox[] = [];

/** Closes every sandbox a test started; call once per test file. */
export function closeSandboxesAfterEach(): void {
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
}

export async function llmSandbox(llm: LlmOptions = {}, extra: SandboxOptions = {}): Promise<LlmSandbox> {
  // No simulated latency: these tests are about shapes and limits, not speed.
  const sb = await startSandbox({ port: 0, callsPerAccount: 4, ...extra, llm: { latencyBaseMs: 0, latencyPerOutputTokenMs: 0, ...llm } });
  open.push(sb);
  const model = sb.env.OPENAI_MODEL;
  const raw = async (method: string, path: string, body?: unknown, auth = true): Promise<RawResponse> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth) headers.authorization = `Bearer ${sb.env.OPENAI_API_KEY}`;
    const res = await fetch(`${sb.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    sb,
    model,
    client: ({ maxRetries = 0 } = {}) => new OpenAI({ apiKey: sb.env.OPENAI_API_KEY, baseURL: sb.env.OPENAI_BASE_URL, maxRetries }),
    raw,
    chat: (content, extraBody = {}) =>
      raw('POST', '/v1/chat/completions', { model, messages: [{ role: 'user', content }], ...extraBody }),
  };
}

/** The error a client call threw (fails the test if it did not throw). */
export async function errorOf(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(outcome instanceof OpenAI.APIError)) throw new Error(`expected an APIError, got ${String(outcome)}`);
  return outcome;
}
