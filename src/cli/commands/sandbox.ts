/**
 * `gong-fleet sandbox`: the local Truto + Gong + OpenAI-compatible world, until SIGINT. Prints the
 * environment that points the fleet at it, its Truto profile and its integrated accounts. The
 * `--profile`/`--tools`/`--arg-style`/`--bodies`/`--rate-headers` flags pick which real-world Truto
 * account it plays; the `--llm-*`, `--tokenizer`, `--models-info` and `--overflow-error` flags make
 * the model behave like a particular real server.
 */
import {
  LLM_PROFILE_NAMES,
  MODELS_INFO_STYLES,
  OVERFLOW_STYLES,
  RETRY_AFTER_STYLES,
  TOKENIZER_NAMES,
  type LlmOptions,
} from '../../sandbox/llm/options.ts';
import { BadInputError, createLogger } from '../../shared/platform/index.ts';
import { Option, type Command } from 'commander';
import {
  ARG_STYLES, BODY_MODES, PROFILE_NAMES, PROFILE_PRESETS, RATE_HEADER_MODES, startSandbox, TOOL_SETS,
  type ArgStyle, type BodyMode, type ProfileName, type RateHeaderMode, type SandboxOptions, type ToolSet, type TrutoProfileOptions,
} from '../../sandbox/index.ts';
import { parseNonNegativeNumber, parsePositiveInt, parseRate } from '../parse.ts';

interface SandboxFlags {
  port: string;
  host: string;
  seed: string;
  accounts: string;
  calls: string;
  contextTokens: string;
  gongPerSecond: string;
  gongPerDay: string;
  fault5xx?: string;
  faultTimeouts?: string;
  latencyMs?: string;
  llmProfile?: string;
  llmObeyInjections?: boolean;
  tokenizer?: string;
  trainedContextTokens?: string;
  modelsInfo?: string;
  overflowError?: string;
  llmRateHeaders?: string;
  llmRequestsPerMinute?: string;
  llmTokensPerMinute?: string;
  llmRetryAfter?: string;
  llmHints: boolean;
  contextHint: boolean;
  rateHints: boolean;
  profile?: ProfileName;
  tools?: ToolSet;
  argStyle?: ArgStyle;
  bodies?: BodyMode;
  rateHeaders?: RateHeaderMode;
  listUnscopedTools?: boolean;
  lateTranscriptMinutes?: string;
  lateTranscripts?: 'empty' | 'omit';
}

function parseChoice<T extends string>(value: string, choices: readonly T[], option: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new BadInputError(`${option} must be one of ${choices.join('|')}, got "${value}"`);
}

/** A per-minute limit, or `none` for a server that enforces none. */
function parseLimit(value: string, option: string): number | null {
  return value === 'none' ? null : parsePositiveInt(value, option);
}

/** Only what was given on the command line, so a `--llm-profile` fills the rest. */
function llmOptions(flags: SandboxFlags): LlmOptions {
  return {
    contextWindowTokens: parsePositiveInt(flags.contextTokens, '--context-tokens'),
    ...(flags.llmProfile ? { profile: parseChoice(flags.llmProfile, LLM_PROFILE_NAMES, '--llm-profile') } : {}),
    ...(flags.tokenizer ? { tokenizer: parseChoice(flags.tokenizer, TOKENIZER_NAMES, '--tokenizer') } : {}),
    ...(flags.trainedContextTokens
      ? { trainedContextTokens: parsePositiveInt(flags.trainedContextTokens, '--trained-context-tokens') }
      : {}),
    ...(flags.modelsInfo ? { modelsInfo: parseChoice(flags.modelsInfo, MODELS_INFO_STYLES, '--models-info') } : {}),
    ...(flags.overflowError ? { overflowError: parseChoice(flags.overflowError, OVERFLOW_STYLES, '--overflow-error') } : {}),
    ...(flags.llmRateHeaders
      ? { rateLimitHeaders: parseChoice(flags.llmRateHeaders, ['on', 'off'] as const, '--llm-rate-headers') === 'on' }
      : {}),
    ...(flags.llmRequestsPerMinute
      ? { requestsPerMinute: parseLimit(flags.llmRequestsPerMinute, '--llm-requests-per-minute') }
      : {}),
    ...(flags.llmTokensPerMinute ? { tokensPerMinute: parseLimit(flags.llmTokensPerMinute, '--llm-tokens-per-minute') } : {}),
    ...(flags.llmRetryAfter ? { retryAfter: parseChoice(flags.llmRetryAfter, RETRY_AFTER_STYLES, '--llm-retry-after') } : {}),
    ...(flags.llmObeyInjections ? { obeyInjections: true } : {}),
  };
}

const presetLines = PROFILE_NAMES.map((name) => {
  const p = PROFILE_PRESETS[name];
  return `  ${name.padEnd(11)} --tools ${p.tools} --arg-style ${p.argStyle} --bodies ${p.bodies} --rate-headers ${p.rateHeaders}`;
});

const PROFILE_HELP = `
Truto profiles (which real-world Truto account the sandbox plays; explicit flags override the preset):
${presetLines.join('\n')}
  --tools seed          only the seed article's 11 Gong tools, plus get_single_gong_crm_request_status_by_id
                        (id = clientRequestId; no description, so listed only with has_description=false)
  --arg-style snake     schema keys snake_case, Gong's body filter flattened (from_date_time, call_ids, ...)
  --bodies unwrapped    POST reads answer {result, next_cursor}; next page: same POST with ?next_cursor=
  --bodies array        POST reads answer a bare array of every item (not paged)
  --rate-headers none   no ratelimit-* headers; 429s carry retry-after only
Undeclared arguments are dropped (GET /_sandbox/stats: unknownArgs per tool).`;

function trutoOptions(flags: SandboxFlags): TrutoProfileOptions {
  return {
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.tools ? { tools: flags.tools } : {}),
    ...(flags.argStyle ? { argStyle: flags.argStyle } : {}),
    ...(flags.bodies ? { bodies: flags.bodies } : {}),
    ...(flags.rateHeaders ? { rateHeaders: flags.rateHeaders } : {}),
    ...(flags.listUnscopedTools ? { listUnscopedTools: true } : {}),
  };
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the local Truto + Gong + OpenAI-compatible sandbox until SIGINT')
    .option('--port <n>', 'port to listen on (0 = any free port)', '4010')
    .option('--host <addr>', 'interface to bind (0.0.0.0 in a container)', '127.0.0.1')
    .option('--seed <n>', 'seed of the generated world', '42')
    .option('--accounts <n>', 'extra small integrated accounts beyond the three standard ones', '0')
    .option('--calls <n>', 'calls in the last 30 days of the deals account', '64')
    .option('--context-tokens <n>', "the sandbox model's context window", '16384')
    .option('--gong-per-second <n>', "Gong's per-company rate limit", '3')
    .option('--gong-per-day <n>', "Gong's per-company daily limit", '10000')
    .option('--fault-5xx <rate>', 'fraction of proxy and LLM calls answered with a 5xx')
    .option('--fault-timeouts <rate>', 'fraction of proxy and LLM calls that never answer')
    .option('--latency-ms <n>', 'added latency per call')
    .option('--llm-profile <name>', `play a real LLM server (${LLM_PROFILE_NAMES.join('|')}); flags below override it (default openai)`)
    .option('--tokenizer <name>', `how the model counts tokens for usage and its window: ${TOKENIZER_NAMES.join('|')} (charsN = ceil(chars/N) + per-message framing; default o200k, the fleet's)`)
    .option('--trained-context-tokens <n>', "the model's trained context that llama.cpp/Ollama/LM Studio report (default max(window, 131072))")
    .option('--models-info <style>', `/v1/models and native model endpoints as ${MODELS_INFO_STYLES.join('|')} (default openai: no context field)`)
    .option('--overflow-error <style>', `context-overflow refusal as ${OVERFLOW_STYLES.join('|')} (ollama = silent truncation; default openai)`)
    .option('--llm-rate-headers <on|off>', 'send x-ratelimit-* headers for the limits that exist (default on)')
    .option('--llm-requests-per-minute <n|none>', 'requests/min the model enforces with 429s (default 500)')
    .option('--llm-tokens-per-minute <n|none>', 'tokens/min the model enforces with 429s (default 2000000)')
    .option('--llm-retry-after <style>', `wait headers on a 429: ${RETRY_AFTER_STYLES.join('|')} (default both: retry-after + retry-after-ms)`)
    .option('--llm-obey-injections', 'with tools, the model acts on instructions planted in tool results (to test an approval gate)')
    .option('--no-llm-hints', 'do not tell the fleet the context window or LLM limits (no OPENAI_CONTEXT_TOKENS, LLM_*_PER_MINUTE)')
    .option('--no-context-hint', 'do not export OPENAI_CONTEXT_TOKENS')
    .option('--no-rate-hints', 'do not export LLM_REQUESTS_PER_MINUTE / LLM_TOKENS_PER_MINUTE')
    .addOption(new Option('--profile <name>', 'Truto profile preset (see below)').choices(PROFILE_NAMES).default('full'))
    .addOption(new Option('--tools <set>', 'which Gong tools /tools lists').choices(TOOL_SETS))
    .addOption(new Option('--arg-style <style>', "tools' argument keys").choices(ARG_STYLES))
    .addOption(new Option('--bodies <mode>', 'answer shape of Gong POST reads').choices(BODY_MODES))
    .addOption(new Option('--rate-headers <mode>', 'ratelimit-* headers on proxy answers').choices(RATE_HEADER_MODES))
    .option('--list-unscoped-tools', 'list tools whose scope the account lacks (they answer 403)')
    .option('--late-transcript-minutes <n>', "a call's transcript stays empty this long after it ends (0 = off)", '0')
    .addOption(new Option('--late-transcripts <shape>', 'a not-ready transcript: empty entry or left out').choices(['empty', 'omit']).default('empty'))
    .addHelpText('after', PROFILE_HELP)
    .action(async (flags: SandboxFlags) => {
      const logger = createLogger({ level: 'info', base: { proc: 'sandbox' } });
      const opts: SandboxOptions = {
        port: Number(flags.port) === 0 ? 0 : parsePositiveInt(flags.port, '--port'),
        host: flags.host,
        seed: parsePositiveInt(flags.seed, '--seed'),
        extraAccounts: Number(flags.accounts) === 0 ? 0 : parsePositiveInt(flags.accounts, '--accounts'),
        callsPerAccount: parsePositiveInt(flags.calls, '--calls'),
        gongPerSecond: parseNonNegativeNumber(flags.gongPerSecond, '--gong-per-second'),
        gongPerDay: parsePositiveInt(flags.gongPerDay, '--gong-per-day'),
        llm: llmOptions(flags),
        exportLlmHints: { contextTokens: flags.llmHints && flags.contextHint, rateLimits: flags.llmHints && flags.rateHints },
        faults: {
          ...(flags.fault5xx ? { errorRate5xx: parseRate(flags.fault5xx, '--fault-5xx') } : {}),
          ...(flags.faultTimeouts ? { timeoutRate: parseRate(flags.faultTimeouts, '--fault-timeouts') } : {}),
          ...(flags.latencyMs ? { latencyMs: parseNonNegativeNumber(flags.latencyMs, '--latency-ms') } : {}),
        },
        truto: trutoOptions(flags),
        lateTranscriptMinutes: parseNonNegativeNumber(flags.lateTranscriptMinutes ?? '0', '--late-transcript-minutes'),
        ...(flags.lateTranscripts ? { lateTranscriptShape: flags.lateTranscripts } : {}),
        logger,
      };
      const sandbox = await startSandbox(opts);
      const out = process.stdout;
      out.write(`gong-fleet sandbox listening on ${sandbox.url}\n\n# point the fleet at it:\n`);
      for (const [k, v] of Object.entries(sandbox.env)) out.write(`export ${k}=${v}\n`);
      const m = sandbox.llmSettings;
      const limit = (n: number | null, unit: string): string => (n === null ? `no ${unit} limit` : `${n} ${unit}`);
      out.write(
        `\n# model: window ${m.contextWindowTokens} tokens, tokenizer ${m.tokenizer}, models-info ${m.modelsInfo}, ` +
          `overflow ${m.overflowError}, ${limit(m.requestsPerMinute, 'req/min')}, ${limit(m.tokensPerMinute, 'tokens/min')}, ` +
          `rate headers ${m.rateLimitHeaders ? 'on' : 'off'}, retry-after ${m.retryAfter}\n`,
      );
      const p = sandbox.profile;
      out.write(`\n# truto profile: tools ${p.tools}, arg-style ${p.argStyle}, bodies ${p.bodies}, rate-headers ${p.rateHeaders}`);
      out.write(`${p.listUnscopedTools ? ', unscoped tools listed' : ''}\n`);
      if (sandbox.lateCallIds.length > 0) out.write(`# calls whose transcript is not ready yet: ${sandbox.lateCallIds.join(', ')}\n`);
      out.write('\n# integrated accounts:\n');
      for (const a of sandbox.world.accounts) out.write(`#   ${a.id}  ${a.companyName}\n`);
      const stop = () => {
        void sandbox.close().then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      await new Promise(() => {});
    });
}
