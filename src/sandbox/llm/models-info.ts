/**
 * Where and how each real server tells a client about its models (and, for some, the context
 * window), so the fleet can be tested on learning the window from the server's own answers:
 *
 * | style        | under the `/v1` base            | at the server root                                  |
 * |--------------|---------------------------------|-----------------------------------------------------|
 * | `openai`     | `/models`, `/models/{id}`       | -                                                   |
 * | `vllm`       | `/models` (`max_model_len`)     | -                                                   |
 * | `llamacpp`   | `/models` (`meta.n_ctx_train`)  | `GET /props` (`default_generation_settings.n_ctx`)  |
 * | `ollama`     | `/models`, `/models/{id}`       | `POST /api/show`, `GET /api/ps`, `GET /api/tags`    |
 * | `lmstudio`   | `/models`                       | `GET /api/v0/models[/{id}]`, `GET /api/v1/models`   |
 * | `openrouter` | `/models` (`context_length`)    | - (OpenRouter's base URL is itself `…/api/v1`)      |
 * | `none`       | 404 on both                     | -                                                   |
 */
import {
  llamaCppModels,
  llamaCppProps,
  lmStudioCard,
  lmStudioV0,
  lmStudioV1,
  ollamaCard,
  ollamaPs,
  ollamaShow,
  ollamaTag,
  openAiCard,
  openRouterCard,
  vllmCard,
  type ModelFacts,
} from './model-cards.ts';
import { errorBody, type LlmResponse } from './wire.ts';

export type ModelsInfoStyle = 'openai' | 'vllm' | 'llamacpp' | 'ollama' | 'lmstudio' | 'openrouter' | 'none';
export const MODELS_INFO_STYLES: readonly ModelsInfoStyle[] = ['openai', 'vllm', 'llamacpp', 'ollama', 'lmstudio', 'openrouter', 'none'];

export interface ModelsInfoSettings {
  style: ModelsInfoStyle;
  models: readonly string[];
  windowTokens: number;
  trainedContextTokens: number;
}

/** When the sandbox says its models were created (a fixed date keeps responses deterministic). */
const MODEL_CREATED_SECONDS = 1_735_689_600;

const ok = (body: unknown): LlmResponse => ({ status: 200, headers: {}, body });

function facts(s: ModelsInfoSettings, id: string): ModelFacts {
  return { id, created: MODEL_CREATED_SECONDS, windowTokens: s.windowTokens, trainedContextTokens: s.trainedContextTokens };
}

/**
 * `GET /models` and `GET /models/{id}` relative to the `/v1` base, in `s.style`'s shape; undefined
 * when `path` is not a models path (the caller answers it).
 */
export function modelsRoute(s: ModelsInfoSettings, method: string, path: string): LlmResponse | undefined {
  if (method !== 'GET') return undefined;
  const all = s.models.map((id) => facts(s, id));
  if (path === '/models') {
    switch (s.style) {
      case 'openai':
        return ok({ object: 'list', data: all.map(openAiCard) });
      case 'vllm':
        return ok({ object: 'list', data: all.map(vllmCard) });
      case 'llamacpp':
        return ok(llamaCppModels(all[0]!));
      case 'ollama':
        return ok({ object: 'list', data: all.map(ollamaCard) });
      case 'lmstudio':
        return ok({ data: all.map(lmStudioCard), object: 'list' });
      case 'openrouter':
        return ok({ data: all.map(openRouterCard) });
      case 'none':
        return notFound(method, path);
    }
  }
  const match = /^\/models\/(.+)$/.exec(path);
  if (!match?.[1]) return undefined;
  const id = decodeURIComponent(match[1]);
  const known = s.models.includes(id);
  switch (s.style) {
    case 'openai':
      return known
        ? ok(openAiCard(facts(s, id)))
        : { status: 404, headers: {}, body: errorBody(`The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model') };
    case 'ollama':
      return known ? ok(ollamaCard(facts(s, id))) : { status: 404, headers: {}, body: errorBody(`model "${id}" not found`, 'invalid_request_error', 'model_not_found') };
    case 'vllm':
      // vLLM has no retrieve route: FastAPI's default 404.
      return { status: 404, headers: {}, body: { detail: 'Not Found' } };
    case 'llamacpp':
      return { status: 404, headers: {}, body: { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } } };
    case 'lmstudio':
    case 'openrouter':
    case 'none':
      return notFound(method, path);
  }
}

function notFound(method: string, path: string): LlmResponse {
  return { status: 404, headers: {}, body: errorBody(`Invalid URL (${method} /v1${path})`, 'invalid_request_error') };
}

/** Whether `style` serves `method path` at the server root (outside `/v1`). */
export function servesRootPath(style: ModelsInfoStyle, method: string, path: string): boolean {
  const route = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
  switch (style) {
    case 'llamacpp':
      return route === 'GET /props';
    case 'ollama':
      return route === 'POST /api/show' || route === 'GET /api/ps' || route === 'GET /api/tags';
    case 'lmstudio':
      return route === 'GET /api/v0/models' || route.startsWith('GET /api/v0/models/') || route === 'GET /api/v1/models';
    default:
      return false;
  }
}

/** Answers a root path `servesRootPath` accepted. `body` is the parsed JSON (Ollama's `/api/show`). */
export function rootRoute(s: ModelsInfoSettings, method: string, path: string, body: unknown): LlmResponse {
  const route = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
  const first = facts(s, s.models[0]!);
  const all = s.models.map((id) => facts(s, id));
  if (route === 'GET /props') return ok(llamaCppProps(first));
  if (route === 'GET /api/ps') return ok({ models: all.map(ollamaPs) });
  if (route === 'GET /api/tags') return ok({ models: all.map(ollamaTag) });
  if (route === 'POST /api/show') {
    // Ollama accepts `model` (current) or the deprecated `name`.
    const req = (body ?? {}) as { model?: unknown; name?: unknown };
    const id = typeof req.model === 'string' ? req.model : typeof req.name === 'string' ? req.name : '';
    if (!s.models.includes(id)) return { status: 404, headers: {}, body: { error: `model '${id}' not found` } };
    return ok(ollamaShow(facts(s, id)));
  }
  if (route === 'GET /api/v0/models') return ok({ object: 'list', data: all.map(lmStudioV0) });
  if (route === 'GET /api/v1/models') return ok({ models: all.map(lmStudioV1) });
  const one = /^GET \/api\/v0\/models\/(.+)$/.exec(route);
  if (one?.[1]) {
    const id = decodeURIComponent(one[1]);
    return s.models.includes(id)
      ? ok(lmStudioV0(facts(s, id)))
      : { status: 404, headers: {}, body: { error: `Model "${id}" not found` } };
  }
  return { status: 404, headers: {}, body: { error: 'Not Found' } };
}
