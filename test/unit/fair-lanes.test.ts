/**
 * Lanes as data: how a `--lane` is read, what a job without one counts as, and that the lane
 * travelling next to a payload never reaches the payload contract.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCliLane } from '../../src/cli/parse.ts';
import { DEFAULT_LANE, laneOf, parseLane, withoutLane } from '../../src/queues/fair/index.ts';
import { BadInputError } from '../../src/shared/platform/index.ts';

describe('lanes', () => {
  it('a person picks interactive (the default) or bulk; anything else names the choices', () => {
    expect(parseCliLane(undefined)).toBe('interactive');
    expect(parseCliLane('Bulk ')).toBe('bulk');
    expect(() => parseCliLane('scheduled')).toThrow(BadInputError);
    expect(() => parseCliLane('fast')).toThrow('--lane must be one of interactive|bulk, got "fast"');
    expect(parseLane('scheduled')).toBe('scheduled');
  });

  it('a job enqueued before lanes existed, or with a bad one, counts as bulk', () => {
    expect(DEFAULT_LANE).toBe('bulk');
    expect(laneOf({ accountId: 'a' })).toBe('bulk');
    expect(laneOf({ lane: 'nightly' })).toBe('bulk');
    expect(laneOf({ lane: 'interactive' })).toBe('interactive');
    expect(laneOf(undefined)).toBe('bulk');
  });

  it('the payload contract never sees the lane, even a strict one', () => {
    const strict = z.object({ accountId: z.string() }).strict();
    const data = { accountId: 'a', lane: 'interactive' };
    expect(strict.safeParse(data).success).toBe(false);
    expect(strict.safeParse(withoutLane(data)).success).toBe(true);
    expect(withoutLane({ accountId: 'a' })).toEqual({ accountId: 'a' });
  });
});
