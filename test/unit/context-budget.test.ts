/**
 * The context budget without a server: the window's precedence (pinned, probed, assumed), the
 * budget arithmetic, what refusals and answers teach, silent truncation, and the scout lane that
 * lets a process be refused at most once before it knows the window.
 */
import { describe, expect, it } from 'vitest';
import {
  ContextBudget,
  ContextOverflowError,
  UNKNOWN_KIND_FACTOR,
  WINDOW_MARGIN,
  memoryFactsStore,
  type WindowProbe,
} from '../../src/shared/upstream/index.ts';

const budgetOf = (opts: Partial<ConstructorParameters<typeof ContextBudget>[0]> = {}) =>
  new ContextBudget({ store: memoryFactsStore(), ...opts });
const probed = (windowTokens: number, runtime = true) => async (): Promise<WindowProbe> => ({ windowTokens, runtime, source: 'test' });
const tooLarge = (b: number) => new ContextOverflowError(`over ${b}`, 0, { budgetTokens: b });

describe('the window', () => {
  it('is assumed, unconfirmed, when the server tells nothing', async () => {
    const b = budgetOf({ probe: async () => null, assumedWindowTokens: 50_000 });
    await b.refresh();
    expect(b.window()).toEqual({ tokens: 50_000, confirmed: false, source: 'assumed' });
  });

  it('is the probed runtime window, confirmed; a trained context only bounds it', async () => {
    const runtime = budgetOf({ probe: probed(8_000) });
    await runtime.refresh();
    expect(runtime.window()).toEqual({ tokens: 8_000, confirmed: true, source: 'probe' });
    const trained = budgetOf({ probe: probed(131_072, false) });
    await trained.refresh();
    expect(trained.window()).toEqual({ tokens: 131_072, confirmed: false, source: 'trained' });
  });

  it('OPENAI_CONTEXT_TOKENS wins over the probe (which is not even asked), but a refusal below it still counts', async () => {
    let asked = 0;
    const b = budgetOf({ configuredWindowTokens: 12_000, probe: async () => (asked++, { windowTokens: 16_000, runtime: true, source: 'x' }) });
    await b.refresh();
    expect(b.window()).toMatchObject({ tokens: 12_000, source: 'config', confirmed: true });
    expect(asked).toBe(0);
    await b.learnRefusal('k', 11_000, 1_000, { dialect: 'openai', limitTokens: 10_000, promptTokens: 11_000, message: '' });
    expect(b.window()).toMatchObject({ tokens: 10_000, source: 'refusal' });
  });
});

describe('the budget', () => {
  it('is (window − output) × (1 − margin) ÷ the kind factor, in fleet tokens', async () => {
    const b = budgetOf({ probe: probed(8_000) });
    await b.refresh();
    // No factor known yet: the first kind borrows 1 × UNKNOWN_KIND_FACTOR.
    expect(b.promptTokens('map', 2_000)).toBe(Math.floor((6_000 * (1 - WINDOW_MARGIN)) / UNKNOWN_KIND_FACTOR));
    expect(await b.learnAnswer('map', 4_000, 2_000, 5_000)).toBe('ok'); // this server counts 1.25×
    expect(b.ratio('map')).toEqual({ ratio: 1.25, known: true });
    expect(b.promptTokens('map', 2_000)).toBe(Math.floor((6_000 * (1 - WINDOW_MARGIN)) / 1.25));
    // Another kind borrows the largest known factor, padded.
    expect(b.ratio('report')).toEqual({ ratio: 1.25 * UNKNOWN_KIND_FACTOR, known: false });
  });

  it('takes a smaller margin when asked; the output room beside a prompt is its inverse', async () => {
    const b = budgetOf({ probe: probed(16_384) });
    await b.refresh();
    await b.learnAnswer('ask', 3_000, 1_024, 2_961); // this server counts 0.987×
    expect(b.promptTokens('ask', 1_024, 0.01)).toBe(Math.floor(((16_384 - 1_024) * 0.99) / b.ratio('ask').ratio));
    expect(b.promptTokens('ask', 1_024, 0.01)).toBeGreaterThan(b.promptTokens('ask', 1_024));
    for (const prompt of [1, 5_000, 12_345, 14_000, 15_000]) {
      for (const margin of [0.01, WINDOW_MARGIN]) {
        const room = b.outputRoom('ask', prompt, margin);
        // The most output with which the prompt still fits, not one token less.
        expect(b.promptTokens('ask', room, margin)).toBeGreaterThanOrEqual(prompt);
        expect(b.promptTokens('ask', room + 1, margin)).toBeLessThan(prompt);
      }
    }
    // A prompt that alone overfills the window leaves no room.
    expect(b.outputRoom('ask', 20_000)).toBeLessThan(0);
  });

  it('keeps a factor that rose, and lowers it only gradually', async () => {
    const b = budgetOf({ probe: probed(8_000) });
    await b.refresh();
    await b.learnAnswer('map', 1_000, 100, 1_000);
    await b.learnAnswer('map', 1_000, 100, 1_100);
    expect(b.ratio('map').ratio).toBeCloseTo(1.1, 5); // up at once
    await b.learnAnswer('map', 1_000, 100, 1_000);
    expect(b.ratio('map').ratio).toBeCloseTo(1.08, 5); // down by a fifth of the gap
  });
});

describe('learning', () => {
  it('a refusal naming the window and the prompt teaches both', async () => {
    const b = budgetOf({ probe: async () => null });
    await b.refresh();
    await b.learnRefusal('map', 19_500, 2_048, { dialect: 'openai', limitTokens: 8_000, promptTokens: 23_400, message: '' });
    expect(b.window()).toEqual({ tokens: 8_000, confirmed: true, source: 'refusal' });
    expect(b.ratio('map').ratio).toBeCloseTo(1.2, 5);
  });

  it('a refusal naming nothing shrinks an unconfirmed window to a share of what was asked', async () => {
    const b = budgetOf({ probe: async () => null });
    await b.refresh();
    await b.learnAnswer('map', 1_000, 100, 1_000); // factor 1
    await b.learnRefusal('map', 20_000, 2_000, { dialect: 'llamacpp', message: 'the request exceeds the available context size' });
    expect(b.window()).toMatchObject({ tokens: 17_600, confirmed: false, source: 'guess' });
  });

  it('an answer whose prompt count is far below what was sent is a silent truncation, and teaches the window', async () => {
    const b = budgetOf({ probe: async () => null });
    await b.refresh();
    expect(await b.learnAnswer('map', 19_500, 2_048, 8_000)).toBe('truncated');
    expect(b.window()).toMatchObject({ tokens: 8_000, source: 'truncation', confirmed: true });
    // The truncated count is no sample of the factor.
    expect(b.ratio('map').known).toBe(false);
  });

  it('a factor below 1 (a tokenizer that counts fewer) is no truncation', async () => {
    const b = budgetOf({ probe: probed(16_000) });
    await b.refresh();
    expect(await b.learnAnswer('map', 10_000, 2_048, 8_800)).toBe('ok');
  });
});

describe('the scout lane', () => {
  it('sends one request at a time until the window is known, then all at once', async () => {
    const b = budgetOf({ probe: async () => null });
    let inFlight = 0;
    let most = 0;
    let refused = 0;
    const serverWindow = 8_000;
    const send = (estimate: number) =>
      b.admit(
        'map',
        estimate,
        () => 1_000,
        async (output) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight -= 1;
          if (estimate + output > serverWindow) {
            refused += 1;
            await b.learnRefusal('map', estimate, output, { dialect: 'openai', limitTokens: serverWindow, promptTokens: estimate, message: '' });
            throw new ContextOverflowError('refused', estimate, { retryable: true });
          }
          await b.learnAnswer('map', estimate, output, estimate);
          return 'ok';
        },
        tooLarge,
      );
    // Eight requests at once, each too big for the unknown window.
    const first = await Promise.allSettled(Array.from({ length: 8 }, () => send(12_000)));
    expect(refused).toBe(1); // only the scout reached the server
    expect(most).toBe(1);
    expect(first.filter((r) => r.status === 'rejected')).toHaveLength(8); // the rest were stopped before sending
    // Now known: requests that fit go in parallel.
    inFlight = 0;
    most = 0;
    const fits = b.promptTokens('map', 1_000);
    const second = await Promise.all(Array.from({ length: 8 }, () => send(fits)));
    expect(second).toEqual(Array(8).fill('ok'));
    expect(most).toBeGreaterThan(1);
    expect(refused).toBe(1);
  });

  it('needs no scout for a request no larger than one the server already answered', async () => {
    const b = budgetOf({ probe: async () => null });
    await b.refresh();
    await b.learnAnswer('map', 10_000, 1_000, 10_000); // proven: 11,000 (window still unconfirmed)
    let inFlight = 0;
    let most = 0;
    const send = () =>
      b.admit('map', 9_000, () => 1_000, async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
      }, tooLarge);
    await Promise.all([send(), send(), send()]);
    expect(most).toBe(3);
  });
});
