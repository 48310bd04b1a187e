import { BadInputError } from '../shared/platform/index.ts';
import { ConfigSchema, type Config } from './schema.ts';

export { ConfigSchema, type Config } from './schema.ts';

/** A bad environment: one line per problem, each naming the variable. CLI exits 2. */
export class ConfigError extends BadInputError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const KEYS = Object.keys(ConfigSchema.shape) as (keyof typeof ConfigSchema.shape)[];

/**
 * Parses the environment once. Empty strings count as unset so `FOO= cmd` falls back to defaults.
 * `overrides` win over `env` (the demo and tests use them to point at the sandbox).
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<string, string>> = {},
): Config {
  const raw: Record<string, string> = {};
  for (const key of KEYS) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'config');
    return `invalid ${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Throws a one-line error naming the variable when a secret a command needs is missing. */
export function requireSetting<K extends keyof Config>(config: Config, key: K, why: string): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null || value === '') {
    throw new ConfigError([`missing ${String(key)}: ${why}`]);
  }
  return value as NonNullable<Config[K]>;
}
