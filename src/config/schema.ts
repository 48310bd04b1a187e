/**
 * The one configuration schema. Every knob has a default; `loadConfig` parses the environment once
 * at start-up and reports every bad value on its own line, naming the variable. Nothing else in the
 * code base reads `process.env`; constructors receive only their slice of the parsed config.
 */
import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const optionalUrl = z
  .string()
  .trim()
  .url({ message: 'must be a URL like redis://127.0.0.1:6379' })
  .optional();

/** Per-account limit overrides, e.g. `{"<integrated-account-id>": {"gongPerSecond": 10}}`. */
export const LimitOverrides = z.record(
  z.string(),
  z
    .object({
      gongPerSecond: z.number().positive().optional(),
      gongPerDay: z.number().int().positive().optional(),
      trutoPerAccountPer10s: z.number().int().positive().optional(),
    })
    .strict(),
);

export const ConfigSchema = z.object({
  /** Redis for queues, caches and the governor. Default: resolved (local 6379, or a private server). */
  REDIS_URL: optionalUrl,
  /** Truto API base. Default https://api.truto.one. */
  TRUTO_BASE_URL: z.string().trim().url().default('https://api.truto.one'),
  /** Truto API token (secret). Needed by commands that call Truto. */
  TRUTO_API_KEY: z.string().trim().min(1).optional(),
  /** Per-request timeout of Truto calls in ms (Truto's SDK uses 30 s). Default 30000. */
  TRUTO_TIMEOUT_MS: int(30_000, 100),
  /** OpenAI-compatible API base. Default https://api.openai.com/v1. */
  OPENAI_BASE_URL: z.string().trim().url().default('https://api.openai.com/v1'),
  /** OpenAI API key (secret). Needed by commands that summarize. */
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  /** Chat model. Default gpt-4o-mini. */
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  /** The model's context window in tokens, used to split long transcripts. Default 128000. */
  OPENAI_CONTEXT_TOKENS: int(128_000, 2_048),
  /** Max output tokens requested per completion. Default 2048. */
  OPENAI_MAX_OUTPUT_TOKENS: int(2_048, 64),
  /** LLM requests per minute for the governor. Default 500. */
  LLM_REQUESTS_PER_MINUTE: int(500, 1),
  /** LLM tokens per minute for the governor. Default 200000. */
  LLM_TOKENS_PER_MINUTE: int(200_000, 1_000),
  /** pino level. Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis key prefix; the braces are a Redis Cluster hash tag. Default {gong-fleet}. */
  GONG_FLEET_PREFIX: z
    .string()
    .regex(/^\{[A-Za-z0-9_.:-]+\}$/, { message: 'must be a hash-tagged prefix like {gong-fleet}' })
    .default('{gong-fleet}'),
  /** Gong's default company limit: 3 requests per second. */
  GONG_PER_SECOND: z.coerce.number().positive().default(3),
  /**
   * Fraction added to every gap between one account's requests, against network and event-loop
   * jitter (Gong counts a strict sliding second). Caps use at 1/(1+margin). Default 0.03; raise it
   * on overloaded hosts that see occasional 429s.
   */
  GOVERNOR_SAFETY_MARGIN: z.coerce.number().min(0).max(0.5).default(0.03),
  /** Gong's default company limit: 10,000 requests per day. */
  GONG_PER_DAY: int(10_000, 1),
  /** Truto's limit per integrated account: 50 requests per 10 s. */
  TRUTO_PER_ACCOUNT_PER_10S: int(50, 1),
  /** Truto's limit per API token: 500 requests per 10 s. */
  TRUTO_PER_TOKEN_PER_10S: int(500, 1),
  /** JSON object of per-account limit overrides. Default {}. */
  GONG_FLEET_ACCOUNT_LIMITS: z
    .string()
    .default('{}')
    .transform((s, ctx) => {
      try {
        return LimitOverrides.parse(JSON.parse(s));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON like {"<account-id>":{"gongPerSecond":10}}' });
        return z.NEVER;
      }
    }),
  /**
   * Emit OpenTelemetry spans for every queue and worker operation through `bullmq-otel`. Default
   * false. The process must also load an OpenTelemetry SDK with an exporter (see the README).
   */
  OTEL_ENABLED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Tracer and meter name for the spans. Default gong-fleet. */
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('gong-fleet'),
  /** Jobs a worker process runs at once per queue. Default 8. */
  WORKER_CONCURRENCY: int(8, 1),
  /** Lock of an active job in ms; a job whose worker died is re-run by another after about this long. Default 30000. */
  WORKER_LOCK_DURATION_MS: int(30_000, 1_000),
  /** On SIGTERM/SIGINT, how long active jobs may run before they are handed back. Default 20000. */
  WORKER_SHUTDOWN_DEADLINE_MS: int(20_000, 0),
  /** Port of a worker's HTTP /metrics and /healthz (127.0.0.1 unless METRICS_HOST). Default: none. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Interface the worker's metrics endpoint binds to. Default 127.0.0.1. */
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Dashboard basic-auth user (with DASHBOARD_PASSWORD). Default: none. */
  DASHBOARD_USER: z.string().trim().min(1).optional(),
  /** Dashboard basic-auth password (secret). Default: none. */
  DASHBOARD_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).optional(),
  /** Dashboard bearer token (secret), an alternative to user/password. Default: none. */
  DASHBOARD_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Where reports are written. Default ./reports. */
  REPORTS_DIR: z.string().min(1).default('reports'),
  /** How long fetched transcripts stay cached in Redis. Default 7 days. */
  TRANSCRIPT_TTL_SECONDS: int(7 * 24 * 3600, 60),
  /**
   * A call that ended less than this many hours ago and has an empty or absent transcript is "not
   * ready" (Gong is still processing it): not stored, reported on its own, fetched by a later run.
   * Older empty transcripts are final ("no transcript"). 0 treats every empty one as final. Default 24.
   */
  TRANSCRIPT_READY_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  /** How long per-call LLM summaries stay cached in Redis. Default 30 days. */
  SUMMARY_TTL_SECONDS: int(30 * 24 * 3600, 60),
  /** Largest LDJSON file crm-sync accepts, in bytes. Default 200 MB (Gong's limit for one dataFile). */
  CRM_MAX_FILE_BYTES: int(200 * 1024 * 1024, 1),
  /** Delay before the first CRM request-status poll, in ms; later polls back off 1.5× each. Default 2000. */
  CRM_POLL_FIRST_MS: int(2_000, 10),
  /** Longest delay between two CRM status polls, in ms. Default 60000. */
  CRM_POLL_MAX_MS: int(60_000, 10),
  /** Total wait for Gong to process an upload before it is reported TIMED_OUT, in ms. Default 2 h. */
  CRM_POLL_MAX_WAIT_MS: int(2 * 3600_000, 1_000),
  /** Coaching sweep: default look-back window in days. Default 30. */
  SWEEP_WINDOW_DAYS: int(30, 1),
  /** Coaching sweep: a rep created this many days before the window's end or later is a new hire. Default 30. */
  SWEEP_NEW_HIRE_DAYS: int(30, 1),
  /** Coaching sweep: flag a new hire whose manager listened to fewer of their calls than this. Default 5. */
  SWEEP_MIN_MANAGER_LISTENS: int(5, 1),
  /** Coaching sweep: flag a rep who hosted at least this many calls and received no scorecard. Default 20. */
  SWEEP_MAX_CALLS_WITHOUT_SCORECARD: int(20, 1),
  /** `ask`: model turns a run may take unless --max-steps says otherwise; the last one answers without tools. Default 30. */
  ASK_MAX_STEPS: z.coerce.number().int().min(1).max(100).default(30),
  /**
   * `ask`: most characters of a tool result shown at once (more via read_result). Default 6000; the
   * context budget shrinks slices further when the conversation grows.
   */
  ASK_RESULT_CHARS: int(6_000, 500),
  /** Where scheduled runs write their dated reports (on the worker's disk). Default reports/scheduled. */
  SCHEDULED_REPORTS_DIR: z.string().min(1).default('reports/scheduled'),
});

export type Config = z.output<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
