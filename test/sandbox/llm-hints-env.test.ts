/**
 * What `sandbox.env` tells the fleet about the model (the context window, the LLM limits), and the
 * `gong-fleet sandbox` flags that withhold it or make the model play another server, through the
 * real CLI process.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/processes.ts';
import { closeSandboxesAfterEach, llmSandbox } from './support/llm-sandbox.ts';

closeSandboxesAfterEach();

const LLM_HINTS = ['OPENAI_CONTEXT_TOKENS', 'LLM_REQUESTS_PER_MINUTE', 'LLM_TOKENS_PER_MINUTE'];
const hintsIn = (env: Record<string, string | undefined>) => LLM_HINTS.filter((k) => env[k] !== undefined);

describe('sandbox.env LLM hints', () => {
  it('by default tells nothing: the fleet learns the window and the limits', async () => {
    const { sb } = await llmSandbox({ contextWindowTokens: 12_000 });
    expect(hintsIn(sb.env)).toEqual([]);
  });

  it('exportLlmHints true tells the window and both limits', async () => {
    const { sb } = await llmSandbox({ contextWindowTokens: 12_000 }, { exportLlmHints: true });
    expect(sb.env).toMatchObject({ OPENAI_CONTEXT_TOKENS: '12000', LLM_REQUESTS_PER_MINUTE: '500', LLM_TOKENS_PER_MINUTE: '2000000' });
  });

  it('exportLlmHints false withholds all three; the model still enforces the window', async () => {
    const { sb, chat } = await llmSandbox({ contextWindowTokens: 2_048, defaultMaxTokens: 16 }, { exportLlmHints: false });
    expect(hintsIn(sb.env)).toEqual([]);
    expect(sb.env.OPENAI_BASE_URL).toBe(`${sb.url}/v1`);
    expect((await chat('word '.repeat(3_000))).status).toBe(400);
  });

  it('each hint can be told on its own', async () => {
    const rates = await llmSandbox({}, { exportLlmHints: { rateLimits: true } });
    expect(hintsIn(rates.sb.env)).toEqual(['LLM_REQUESTS_PER_MINUTE', 'LLM_TOKENS_PER_MINUTE']);
    const context = await llmSandbox({}, { exportLlmHints: { contextTokens: true } });
    expect(hintsIn(context.sb.env)).toEqual(['OPENAI_CONTEXT_TOKENS']);
  });

  it('a limit the model does not enforce is never exported', async () => {
    const selfHosted = await llmSandbox({ profile: 'vllm' }, { exportLlmHints: true });
    expect(hintsIn(selfHosted.sb.env)).toEqual(['OPENAI_CONTEXT_TOKENS']);
    const tokensOnly = await llmSandbox({ profile: 'vllm', tokensPerMinute: 400_000 }, { exportLlmHints: true });
    expect(tokensOnly.sb.env.LLM_TOKENS_PER_MINUTE).toBe('400000');
    expect(tokensOnly.sb.env.LLM_REQUESTS_PER_MINUTE).toBeUndefined();
  });
});

const BIN = resolve(import.meta.dirname, '../../bin/gong-fleet.mjs');

/** Starts `gong-fleet sandbox <args>`, returns its printed banner once complete, then stops it. */
async function sandboxBanner(args: string[], probe: (url: string) => Promise<void>): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--calls', '4', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += String(b)));
  child.stderr.on('data', (b) => (out += String(b)));
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`sandbox did not start: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        if (out.includes('# integrated accounts:')) {
          clearTimeout(timer);
          res();
        }
      });
      child.once('exit', (code) => rej(new Error(`sandbox exited with ${code}: ${out}`)));
    });
    const url = /listening on (http:\S+)/.exec(out)?.[1];
    if (!url) throw new Error(`no URL in: ${out}`);
    await probe(url);
    return out;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('gong-fleet sandbox flags', () => {
  it('--no-llm-hints and --llm-profile ollama: no hints printed, Ollama endpoints served', async () => {
    const out = await sandboxBanner(['--no-llm-hints', '--llm-profile', 'ollama', '--context-tokens', '8000'], async (url) => {
      const ps = await fetch(`${url}/api/ps`);
      expect(((await ps.json()) as { models: { context_length: number }[] }).models[0]!.context_length).toBe(8000);
    });
    expect(out).toContain('export OPENAI_BASE_URL=');
    for (const hint of LLM_HINTS) expect(out).not.toContain(hint);
    expect(out).toContain('# model: window 8000 tokens, tokenizer chars4, models-info ollama, overflow ollama, no req/min limit');
    expect(out).toContain('rate headers off');
  });

  it('explicit flags override the profile', async () => {
    const out = await sandboxBanner(
      ['--llm-profile', 'vllm', '--tokenizer', 'o200k', '--overflow-error', 'tgi', '--llm-tokens-per-minute', '400000', '--llm-rate-headers', 'on', '--rate-hints'],
      async (url) => {
        const res = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer k' } });
        const body = (await res.json()) as { data: { max_model_len: number }[] };
        expect(body.data[0]!.max_model_len).toBe(16_384);
        expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('400000');
        expect(res.headers.has('x-ratelimit-limit-requests')).toBe(false);
      },
    );
    expect(out).toContain('export LLM_TOKENS_PER_MINUTE=400000');
    expect(out).not.toContain('OPENAI_CONTEXT_TOKENS');
    expect(out).not.toContain('LLM_REQUESTS_PER_MINUTE');
    expect(out).toContain('tokenizer o200k, models-info vllm, overflow tgi, no req/min limit, 400000 tokens/min, rate headers on');
  });

  it.each([
    [['--tokenizer', 'bpe'], '--tokenizer must be one of o200k|chars4|chars3'],
    [['--llm-tokens-per-minute', 'lots'], '--llm-tokens-per-minute must be a positive whole number'],
  ])('rejects %j with a one-line error', async (args, message) => {
    const res = await runCli(['sandbox', '--port', '0', ...args], {}, 30_000);
    expect(res.code).not.toBe(0);
    expect(res.stderr + res.stdout).toContain(message);
  });
});
