/**
 * Keeps the raw body of a failed LLM response. The openai client builds its errors from
 * `body.error`, so a server whose error body has another shape (vLLM ≤ 0.9's flat
 * `{"object":"error","message":…}`, TGI's `{"error":"…"}` string) reaches the caller as "400
 * status code (no body)", and the context window in that message is lost. The client's `fetch` is
 * wrapped: a non-2xx answer's text is copied into the slot of the call that made it, found through
 * AsyncLocalStorage, so nothing is added to the request and concurrent calls never mix bodies.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Slot {
  errorBody?: string;
}

const slots = new AsyncLocalStorage<Slot>();

/** Error bodies longer than this are cut (the numbers the fleet reads come first). */
const MAX_BODY_CHARS = 8_192;

/** `base` that also copies the text of every non-2xx response into the current call's slot. */
export function fetchKeepingErrorBodies(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await base(input, init);
    const slot = slots.getStore();
    if (slot && !res.ok) {
      try {
        slot.errorBody = (await res.clone().text()).slice(0, MAX_BODY_CHARS);
      } catch {
        // An unreadable body leaves the slot empty; the client's own message is the fallback.
      }
    }
    return res;
  };
}

/**
 * Runs `fn` (one request through a client built with `fetchKeepingErrorBodies`) and returns its
 * value, or the error it threw with the body the server sent (undefined if none was read).
 */
export async function withErrorBody<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown; body: string | undefined }> {
  const slot: Slot = {};
  try {
    return { ok: true, value: await slots.run(slot, fn) };
  } catch (error) {
    return { ok: false, error, body: slot.errorBody };
  }
}
