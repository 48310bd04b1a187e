import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets } from '../../src/shared/platform/index.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('scrubs secret values anywhere in a line and redacts credential fields', () => {
    const { lines, stream } = capture();
    const log = createLogger({ secrets: ['truto-secret-123', 'sk-openai-456'], destination: stream });
    log.info({ headers: { authorization: 'Bearer whatever' }, apiKey: 'x' }, 'calling with truto-secret-123');
    log.error({ err: { message: 'bad key sk-openai-456 rejected' } }, 'failed');
    const all = lines.join('');
    expect(all).not.toContain('truto-secret-123');
    expect(all).not.toContain('sk-openai-456');
    expect(all).not.toContain('Bearer whatever');
    expect(all).toContain('[REDACTED]');
    expect(lines).toHaveLength(2);
  });

  it('scrubSecrets ignores very short secrets so it cannot mangle ordinary text', () => {
    expect(scrubSecrets('a b c', ['b'])).toBe('a b c');
    expect(scrubSecrets('key=abcd1234 again abcd1234', ['abcd1234'])).toBe('key=[REDACTED] again [REDACTED]');
  });
});
