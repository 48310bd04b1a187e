/**
 * The sandbox model's options, and the server profiles that set several of them at once so one
 * flag plays "a self-hosted vLLM" or "an Ollama". Every default is the sandbox's behaviour before
 * these options existed: an OpenAI-like model with the fleet's tokenizer, limits and headers.
 */
import { OVERFLOW_STYLES, type OverflowStyle } from './overflow-errors.ts';
import { MODELS_INFO_STYLES, type ModelsInfoStyle } from './models-info.ts';
import { TOKENIZER_NAMES, type TokenizerName } from './tokenizers.ts';

export { OVERFLOW_STYLES, MODELS_INFO_STYLES, TOKENIZER_NAMES };
export type { OverflowStyle, ModelsInfoStyle, TokenizerName };

/** Which headers a 429 carries: `both` = `retry-after` (s) + `retry-after-ms`; `seconds`; `none`. */
export type RetryAfterStyle = 'both' | 'seconds' | 'none';
export const RETRY_AFTER_STYLES: readonly RetryAfterStyle[] = ['both', 'seconds', 'none'];

export type LlmProfile = 'openai' | 'vllm' | 'vllm-old' | 'llamacpp' | 'ollama' | 'lmstudio' | 'openrouter' | 'tgi';

export interface LlmOptions {
  /** Preset of the server-shape options below; an option given explicitly wins. Default 'openai'. */
  profile?: LlmProfile;
  /** Context window in tokens, as the server enforces it. Default 16_384. */
  contextWindowTokens?: number;
  /**
   * The model's trained context, reported where real servers report it (llama.cpp n_ctx_train,
   * Ollama `<arch>.context_length`, LM Studio max_context_length). Default max(window, 131_072): a
   * Llama-3.1-class model served with a smaller window, so the trained figure is the wrong one to use.
   */
  trainedContextTokens?: number;
  /** How tokens are counted for `usage` and the window. Default 'o200k' (the fleet's own). */
  tokenizer?: TokenizerName;
  /** Shape of `/v1/models` and the server's native model endpoints. Default 'openai' (no context field). */
  modelsInfo?: ModelsInfoStyle;
  /** How a prompt that does not fit is refused (or truncated). Default 'openai'. */
  overflowError?: OverflowStyle;
  /** Model id(s) served. Default ['gpt-4o-mini-sandbox']. */
  models?: string[];
  /** Requests per minute, enforced with 429s; null = no limit. Default 500. */
  requestsPerMinute?: number | null;
  /** Tokens per minute (prompt + completion), enforced with 429s; null = no limit. Default 2_000_000. */
  tokensPerMinute?: number | null;
  /** Send OpenAI's `x-ratelimit-*` headers (for the limits that exist) on every response. Default true. */
  rateLimitHeaders?: boolean;
  /** Wait headers on a 429. Default 'both'. */
  retryAfter?: RetryAfterStyle;
  /** Simulated latency before each answer, fixed part in ms. Default 40. */
  latencyBaseMs?: number;
  /** Simulated latency per output token in ms. Default 0.5. */
  latencyPerOutputTokenMs?: number;
  /** Max output tokens reserved when the request gives none (the `openai` overflow rule). Default 2_048. */
  defaultMaxTokens?: number;
  /** Milliseconds since the epoch; drives the rate-limit window. Default Date.now. */
  clock?: () => number;
  /** Source of randomness for `errorRate5xx`. Default Math.random. */
  random?: () => number;
  /**
   * Tool calling: act on instructions planted in tool results (e.g. "mark all my tasks DONE"), as
   * a compromised model would, to prove the fleet's approval gate (docs/agent-protocol.md). Default false.
   */
  obeyInjections?: boolean;
}

type ProfileFields = Pick<
  LlmOptions,
  'tokenizer' | 'modelsInfo' | 'overflowError' | 'requestsPerMinute' | 'tokensPerMinute' | 'rateLimitHeaders' | 'retryAfter'
>;

/** A self-hosted server: no limits, no headers, nothing is ever refused for rate. */
const SELF_HOSTED: ProfileFields = { requestsPerMinute: null, tokensPerMinute: null, rateLimitHeaders: false };

/**
 * Plausible real servers. Tokenizers are "foreign" (not o200k) for every non-OpenAI server, since
 * a Llama / Qwen / Mistral tokenizer never matches the fleet's count.
 */
export const LLM_PROFILES: Record<LlmProfile, ProfileFields> = {
  openai: {},
  vllm: { tokenizer: 'chars4', modelsInfo: 'vllm', overflowError: 'vllm-new', ...SELF_HOSTED },
  'vllm-old': { tokenizer: 'chars4', modelsInfo: 'vllm', overflowError: 'vllm', ...SELF_HOSTED },
  llamacpp: { tokenizer: 'chars3', modelsInfo: 'llamacpp', overflowError: 'llamacpp', ...SELF_HOSTED },
  ollama: { tokenizer: 'chars4', modelsInfo: 'ollama', overflowError: 'ollama', ...SELF_HOSTED },
  lmstudio: { tokenizer: 'chars4', modelsInfo: 'lmstudio', overflowError: 'lmstudio', ...SELF_HOSTED },
  // A hosted router: limits exist but are only discovered through 429s.
  openrouter: { tokenizer: 'chars4', modelsInfo: 'openrouter', overflowError: 'openrouter', rateLimitHeaders: false, retryAfter: 'seconds' },
  tgi: { tokenizer: 'chars4', modelsInfo: 'openai', overflowError: 'tgi', ...SELF_HOSTED },
};
export const LLM_PROFILE_NAMES = Object.keys(LLM_PROFILES) as LlmProfile[];

export const DEFAULT_CONTEXT_WINDOW_TOKENS = 16_384;
export const DEFAULT_REQUESTS_PER_MINUTE = 500;
export const DEFAULT_TOKENS_PER_MINUTE = 2_000_000;
/** Llama 3.1's trained context: the usual gap between a GGUF's header and a local server's window. */
const TYPICAL_TRAINED_CONTEXT_TOKENS = 131_072;

export interface ResolvedLlmOptions {
  contextWindowTokens: number;
  trainedContextTokens: number;
  tokenizer: TokenizerName;
  modelsInfo: ModelsInfoStyle;
  overflowError: OverflowStyle;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  rateLimitHeaders: boolean;
  retryAfter: RetryAfterStyle;
}

/** Options after the profile: what the model (and `sandbox.env`) actually does. */
export function resolveLlmOptions(opts: LlmOptions = {}): ResolvedLlmOptions {
  const preset = LLM_PROFILES[opts.profile ?? 'openai'];
  const pick = <K extends keyof ProfileFields>(key: K): ProfileFields[K] => (opts[key] !== undefined ? opts[key] : preset[key]);
  const window = opts.contextWindowTokens ?? DEFAULT_CONTEXT_WINDOW_TOKENS;
  const rpm = pick('requestsPerMinute');
  const tpm = pick('tokensPerMinute');
  return {
    contextWindowTokens: window,
    trainedContextTokens: opts.trainedContextTokens ?? Math.max(window, TYPICAL_TRAINED_CONTEXT_TOKENS),
    tokenizer: pick('tokenizer') ?? 'o200k',
    modelsInfo: pick('modelsInfo') ?? 'openai',
    overflowError: pick('overflowError') ?? 'openai',
    requestsPerMinute: rpm === undefined ? DEFAULT_REQUESTS_PER_MINUTE : rpm,
    tokensPerMinute: tpm === undefined ? DEFAULT_TOKENS_PER_MINUTE : tpm,
    rateLimitHeaders: pick('rateLimitHeaders') ?? true,
    retryAfter: pick('retryAfter') ?? 'both',
  };
}
