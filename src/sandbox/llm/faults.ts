/** Injected failures for the sandbox model, so the fleet's retry paths can be exercised on purpose. */

/** Faults to inject; each call to `setFaults` replaces the previous settings. */
export interface LlmFaults {
  /** Probability (0..1) that an admitted completion fails with a 500 `server_error`. Default 0. */
  errorRate5xx?: number;
  /**
   * A burst of 429s like OpenAI sends under load: the next `count` completions (default 3) are
   * refused with `retry-after-ms` = `retryAfterMs` (default 200), then the burst clears itself.
   * `true` uses the defaults; `false` cancels a burst in progress. Default off.
   */
  burst429?: boolean | { count?: number; retryAfterMs?: number };
  /**
   * Prompts containing any of these strings always fail with a 500 `server_error`, so one call's
   * job can be made to fail every attempt while the rest of a run succeeds. Default [].
   */
  failWhenPromptContains?: string[];
}

const DEFAULT_BURST_COUNT = 3;
const DEFAULT_BURST_RETRY_AFTER_MS = 200;

export interface FaultState {
  set(faults: LlmFaults): void;
  /** Consumes one 429 of the current burst, if any. */
  takeBurst429(): { retryAfterMs: number } | undefined;
  roll5xx(): boolean;
  /** Whether a prompt matches `failWhenPromptContains`. */
  failsPrompt(prompt: string): boolean;
}

export function createFaultState(random: () => number): FaultState {
  let errorRate5xx = 0;
  let burstLeft = 0;
  let burstRetryAfterMs = DEFAULT_BURST_RETRY_AFTER_MS;
  let failMarkers: string[] = [];
  return {
    set(faults) {
      errorRate5xx = Math.min(1, Math.max(0, faults.errorRate5xx ?? 0));
      failMarkers = (faults.failWhenPromptContains ?? []).filter((m) => m.length > 0);
      const burst = faults.burst429;
      if (burst === undefined || burst === false) {
        burstLeft = 0;
      } else {
        const spec = burst === true ? {} : burst;
        burstLeft = Math.max(0, Math.floor(spec.count ?? DEFAULT_BURST_COUNT));
        burstRetryAfterMs = Math.max(1, spec.retryAfterMs ?? DEFAULT_BURST_RETRY_AFTER_MS);
      }
    },
    takeBurst429() {
      if (burstLeft <= 0) return undefined;
      burstLeft -= 1;
      return { retryAfterMs: burstRetryAfterMs };
    },
    roll5xx() {
      return errorRate5xx > 0 && random() < errorRate5xx;
    },
    failsPrompt(prompt) {
      return failMarkers.some((m) => prompt.includes(m));
    },
  };
}
