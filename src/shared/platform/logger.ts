/**
 * pino loggers. Secrets are kept out twice over: `redact` censors the fields that could hold them,
 * and the destination scrubs the literal secret values from every line (a key pasted into an error
 * message by a library would otherwise slip through). Payloads and transcripts are never logged.
 */
import { Writable } from 'node:stream';
import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Field paths that may carry credentials. */
export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'TRUTO_API_KEY',
  'OPENAI_API_KEY',
  '*.TRUTO_API_KEY',
  '*.OPENAI_API_KEY',
  'config.TRUTO_API_KEY',
  'config.OPENAI_API_KEY',
  'password',
  '*.password',
  'DASHBOARD_PASSWORD',
  'DASHBOARD_TOKEN',
  'config.DASHBOARD_PASSWORD',
  'config.DASHBOARD_TOKEN',
];

export interface LoggerOptions {
  /** pino level. Default 'info'. */
  level?: LevelWithSilent;
  /** Secret values to scrub from every line (empty ones ignored). Default none. */
  secrets?: (string | undefined)[];
  /** Where lines go. Default stderr (stdout is for results such as report paths). */
  destination?: NodeJS.WritableStream;
  /** Base bindings, e.g. `{ proc: 'worker' }`. */
  base?: Record<string, unknown>;
}

/** Replaces every occurrence of the given secrets in `line` with `[REDACTED]`. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s): s is string => !!s && s.length >= 4);
  const target = opts.destination ?? process.stderr;
  const destination =
    secrets.length === 0
      ? target
      : new Writable({
          write(chunk, _enc, cb) {
            target.write(scrubSecrets(String(chunk), secrets));
            cb();
          },
        });
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.base ?? null,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream,
  );
}

/** A logger that drops everything: the default for library code and unit tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
