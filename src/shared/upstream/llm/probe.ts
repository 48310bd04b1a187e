/**
 * Asks an OpenAI-compatible server for its context window, the way each server tells it. The
 * window a server *runs with* wins over the model's trained context (a llama.cpp or Ollama
 * server usually runs a 128k-trained model with a much smaller window):
 *
 * | server     | runtime window (preferred)                                   | trained context (fallback)            |
 * |------------|--------------------------------------------------------------|---------------------------------------|
 * | vLLM       | `GET /v1/models` data[].max_model_len                        | -                                     |
 * | OpenRouter | `GET /models` data[].context_length, top_provider.context_length | -                                 |
 * | others     | data[].context_window / context_length / max_context_length  | -                                     |
 * | llama.cpp  | `GET /props` default_generation_settings.n_ctx                | data[].meta.n_ctx_train               |
 * | Ollama     | `GET /api/ps` models[].context_length (loaded runner)        | `POST /api/show` model_info[*.context_length] |
 * | LM Studio  | `GET /api/v0/models/{id}` loaded_context_length, `/api/v1/models` loaded_instances[].config.context_length | max_context_length |
 * | OpenAI     | nothing                                                      | -                                     |
 *
 * Native endpoints sit at the server root (the base URL without its trailing `/v1`); they are
 * asked only when `/models` named no runtime window. Every failure (404, 401, timeout, junk) just
 * means "not this server". Runs once per (base URL, model) for the whole fleet (context-budget.ts).
 */

export interface WindowProbe {
  /** The window in the server's tokens. */
  windowTokens: number;
  /** True for the window the server enforces now; false for the model's trained context (an upper bound). */
  runtime: boolean;
  /** Where it was read, e.g. `GET /v1/models max_model_len`. */
  source: string;
}

export interface ProbeOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  fetch?: typeof fetch;
  /** Per request, in ms. Default 5000. */
  timeoutMs?: number;
}

type Json = Record<string, unknown>;

const asRecord = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : undefined);

/** Fields of a `/models` entry that name the window a hosted server enforces, in order of trust. */
const RUNTIME_FIELDS = ['max_model_len', 'loaded_context_length', 'context_window', 'context_length', 'max_context_length', 'max_input_tokens'];

export async function probeContextWindow(opts: ProbeOptions): Promise<WindowProbe | null> {
  const get = requester(opts);
  const base = opts.baseUrl.replace(/\/+$/, '');
  const root = base.replace(/\/v1$/, '');
  const id = encodeURIComponent(opts.model);
  let trained: WindowProbe | null = null;

  const models = asRecord(await get('GET', `${base}/models`));
  const entries = Array.isArray(models?.data) ? models.data.map(asRecord).filter((e): e is Json => !!e) : [];
  const entry = entries.find((e) => e.id === opts.model) ?? (entries.length === 1 ? entries[0] : undefined);
  if (entry) {
    const topProvider = positive(asRecord(entry.top_provider)?.context_length);
    for (const field of RUNTIME_FIELDS) {
      const value = positive(entry[field]);
      // OpenRouter: the model's context, but the serving provider may allow less.
      if (value !== undefined) return { windowTokens: Math.min(value, topProvider ?? value), runtime: true, source: `GET /models ${field}` };
    }
    const nCtxTrain = positive(asRecord(entry.meta)?.n_ctx_train);
    if (nCtxTrain) trained = { windowTokens: nCtxTrain, runtime: false, source: 'GET /models meta.n_ctx_train' };
  }
  if (root === base) return trained; // no `/v1` to strip: no native endpoints to guess at

  const props = asRecord(await get('GET', `${root}/props`));
  const nCtx = positive(asRecord(props?.default_generation_settings)?.n_ctx);
  if (nCtx) return { windowTokens: nCtx, runtime: true, source: 'GET /props default_generation_settings.n_ctx' };

  const ps = asRecord(await get('GET', `${root}/api/ps`));
  const loaded = (Array.isArray(ps?.models) ? ps.models : []).map(asRecord).find((m) => m?.name === opts.model || m?.model === opts.model);
  const psWindow = positive(loaded?.context_length);
  if (psWindow) return { windowTokens: psWindow, runtime: true, source: 'GET /api/ps context_length' };

  const v0 = asRecord(await get('GET', `${root}/api/v0/models/${id}`));
  const v0Loaded = positive(v0?.loaded_context_length);
  if (v0Loaded) return { windowTokens: v0Loaded, runtime: true, source: 'GET /api/v0/models loaded_context_length' };
  const v1 = asRecord(await get('GET', `${root}/api/v1/models`));
  const v1Model = (Array.isArray(v1?.models) ? v1.models : []).map(asRecord).find((m) => m?.key === opts.model);
  const instances = Array.isArray(v1Model?.loaded_instances) ? v1Model.loaded_instances : [];
  const v1Loaded = positive(asRecord(asRecord(instances.map(asRecord)[0])?.config)?.context_length);
  if (v1Loaded) return { windowTokens: v1Loaded, runtime: true, source: 'GET /api/v1/models loaded_instances.config.context_length' };
  const lmTrained = positive(v0?.max_context_length) ?? positive(v1Model?.max_context_length);
  if (lmTrained && !trained) trained = { windowTokens: lmTrained, runtime: false, source: 'LM Studio max_context_length' };

  if (!trained) {
    const show = asRecord(await get('POST', `${root}/api/show`, { model: opts.model }));
    const info = asRecord(show?.model_info) ?? {};
    const key = Object.keys(info).find((k) => k.endsWith('.context_length'));
    const showTrained = key === undefined ? undefined : positive(info[key]);
    if (showTrained) trained = { windowTokens: showTrained, runtime: false, source: `POST /api/show ${key}` };
  }
  return trained;
}

/** A JSON request that answers undefined for anything but a 2xx JSON body. */
function requester(opts: ProbeOptions) {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return async (method: 'GET' | 'POST', url: string, body?: unknown): Promise<unknown> => {
    try {
      const res = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${opts.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return undefined;
      }
      return (await res.json()) as unknown;
    } catch {
      return undefined;
    }
  };
}
