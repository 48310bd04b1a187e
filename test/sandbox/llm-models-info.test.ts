/**
 * `/v1/models` and the native model endpoints in each real server's shape, over HTTP against a
 * started sandbox: where the context window is told (and where only the trained context is), and
 * that a style serves nothing it should not.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, errorOf, llmSandbox } from './support/llm-sandbox.ts';

closeSandboxesAfterEach();

const WINDOW = 8_192;
const TRAINED = 131_072;

async function listed(m: Awaited<ReturnType<typeof llmSandbox>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const model of m.client().models.list()) out.push(model as unknown as Record<string, unknown>);
  return out;
}

describe('models info', () => {
  it('openai (default): the OpenAI shape with no context field anywhere', async () => {
    const m = await llmSandbox({ contextWindowTokens: WINDOW });
    const models = await listed(m);
    expect(models).toEqual([{ id: m.model, object: 'model', created: 1_735_689_600, owned_by: 'gong-fleet-sandbox' }]);
    expect(JSON.stringify(models)).not.toContain(String(WINDOW));
    expect(await m.client().models.retrieve(m.model)).toMatchObject({ id: m.model, object: 'model' });
    // No native endpoints: the root is Truto's, which wants its own token.
    expect((await m.raw('GET', '/props')).status).toBe(401);
  });

  it('vllm: max_model_len is the enforced window; no retrieve route', async () => {
    const m = await llmSandbox({ modelsInfo: 'vllm', contextWindowTokens: WINDOW });
    const [card] = await listed(m);
    expect(card).toMatchObject({ id: m.model, object: 'model', owned_by: 'vllm', root: m.model, parent: null, max_model_len: WINDOW });
    expect(card!.permission).toEqual([expect.objectContaining({ object: 'model_permission', allow_sampling: true })]);
    const res = await m.raw('GET', `/v1/models/${m.model}`);
    expect(res).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
  });

  it('llamacpp: /v1/models has only n_ctx_train; GET /props has the running window (key required)', async () => {
    const m = await llmSandbox({ modelsInfo: 'llamacpp', contextWindowTokens: WINDOW });
    const list = await m.raw('GET', '/v1/models');
    expect(list.status).toBe(200);
    expect(list.body.object).toBe('list');
    expect(list.body.models[0]).toMatchObject({ name: m.model, model: m.model, type: 'model' });
    expect(list.body.data[0]).toMatchObject({ id: m.model, owned_by: 'llamacpp', meta: { n_ctx_train: TRAINED } });
    expect(list.body.data[0].meta.n_ctx).toBeUndefined();

    const props = await m.raw('GET', '/props');
    expect(props.status).toBe(200);
    expect(props.body).toMatchObject({ default_generation_settings: { n_ctx: WINDOW }, total_slots: 1 });
    expect((await m.raw('GET', '/props', undefined, false)).status).toBe(401);
  });

  it('ollama: no context in /v1/models; trained context in /api/show, running window in /api/ps', async () => {
    const m = await llmSandbox({ modelsInfo: 'ollama', contextWindowTokens: WINDOW, trainedContextTokens: 32_768 });
    expect(await listed(m)).toEqual([{ id: m.model, object: 'model', created: 1_735_689_600, owned_by: 'library' }]);
    expect(await m.client().models.retrieve(m.model)).toMatchObject({ id: m.model, owned_by: 'library' });

    // Ollama has no auth; the current field is `model`, the deprecated one `name`.
    const show = await m.raw('POST', '/api/show', { model: m.model }, false);
    expect(show.status).toBe(200);
    expect(show.body.model_info).toMatchObject({ 'general.architecture': 'llama', 'llama.context_length': 32_768 });
    expect(show.body.details).toMatchObject({ format: 'gguf', family: 'llama' });
    expect((await m.raw('POST', '/api/show', { name: m.model }, false)).status).toBe(200);
    expect(await m.raw('POST', '/api/show', { model: 'llama3:70b' }, false)).toMatchObject({
      status: 404,
      body: { error: "model 'llama3:70b' not found" },
    });

    const ps = await m.raw('GET', '/api/ps', undefined, false);
    expect(ps.body.models).toEqual([expect.objectContaining({ name: m.model, model: m.model, context_length: WINDOW })]);
    const tags = await m.raw('GET', '/api/tags', undefined, false);
    expect(tags.body.models).toEqual([expect.objectContaining({ name: m.model })]);
  });

  it('lmstudio: REST v0 loaded_context_length / max_context_length, REST v1 loaded_instances', async () => {
    const m = await llmSandbox({ modelsInfo: 'lmstudio', contextWindowTokens: WINDOW });
    expect(await listed(m)).toEqual([{ id: m.model, object: 'model', owned_by: 'organization_owner' }]);

    const v0 = await m.raw('GET', '/api/v0/models', undefined, false);
    expect(v0.body).toEqual({
      object: 'list',
      data: [expect.objectContaining({ id: m.model, type: 'llm', state: 'loaded', max_context_length: TRAINED, loaded_context_length: WINDOW })],
    });
    expect((await m.raw('GET', `/api/v0/models/${m.model}`, undefined, false)).body).toMatchObject({ loaded_context_length: WINDOW });
    expect((await m.raw('GET', '/api/v0/models/other', undefined, false)).status).toBe(404);

    const v1 = await m.raw('GET', '/api/v1/models', undefined, false);
    expect(v1.body.models[0]).toMatchObject({
      key: m.model,
      max_context_length: TRAINED,
      loaded_instances: [{ id: m.model, config: { context_length: WINDOW } }],
    });
  });

  it('openrouter: context_length and top_provider.context_length', async () => {
    const m = await llmSandbox({ modelsInfo: 'openrouter', contextWindowTokens: WINDOW });
    const [card] = await listed(m);
    expect(card).toMatchObject({ id: m.model, context_length: WINDOW, top_provider: { context_length: WINDOW } });
    expect(card!.pricing).toMatchObject({ prompt: '0', completion: '0' });
  });

  it('none: /v1/models is a 404 (NotFoundError in the client); chat still works', async () => {
    const m = await llmSandbox({ modelsInfo: 'none' });
    const err = await errorOf(m.client().models.list());
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.status).toBe(404);
    expect((await m.raw('GET', `/v1/models/${m.model}`)).status).toBe(404);
    expect((await m.chat('Still here.')).status).toBe(200);
  });

  it('the trained context defaults to max(window, 131072), and follows a larger window', async () => {
    const small = await llmSandbox({ modelsInfo: 'llamacpp', contextWindowTokens: WINDOW });
    expect((await small.raw('GET', '/v1/models')).body.data[0].meta.n_ctx_train).toBe(TRAINED);
    const big = await llmSandbox({ modelsInfo: 'llamacpp', contextWindowTokens: 200_000 });
    expect((await big.raw('GET', '/v1/models')).body.data[0].meta.n_ctx_train).toBe(200_000);
    expect((await big.raw('GET', '/props')).body.default_generation_settings.n_ctx).toBe(200_000);
  });

  it('a profile sets the models-info style; an explicit option wins', async () => {
    const vllm = await llmSandbox({ profile: 'vllm', contextWindowTokens: WINDOW });
    expect((await listed(vllm))[0]).toMatchObject({ max_model_len: WINDOW });
    const overridden = await llmSandbox({ profile: 'vllm', modelsInfo: 'openai' });
    expect((await listed(overridden))[0]!.max_model_len).toBeUndefined();
  });
});
