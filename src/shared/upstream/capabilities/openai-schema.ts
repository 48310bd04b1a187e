/**
 * A Truto tool as an OpenAI function tool (chat completions `tools[]`), built the way Truto's own
 * LangChain toolset builds its schema (truto-api.md §5): the query and body properties merged into
 * one object, `required` from the tool's flat list. Additions: a get/update/delete tool always
 * offers `id` (it travels in the path), a tool without a description (listed only with
 * has_description=false) gets one from the capability it serves, and the description says whether
 * the tool reads or writes.
 */
import type { TrutoTool } from '../truto/types.ts';
import { capabilityOfTool } from './match.ts';

export interface OpenAiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

// OpenAI's rule for function names.
const NAME_RE = /[^a-zA-Z0-9_-]/g;
const MAX_NAME = 64;

function properties(schema: TrutoTool['query_schema']): Record<string, unknown> {
  return structuredClone((schema?.properties ?? {}) as Record<string, unknown>);
}

/** The name a tool is offered under: OpenAI refuses names outside `^[a-zA-Z0-9_-]{1,64}$` (Truto's snake_case names pass unchanged). */
export function openAiToolName(name: string): string {
  return name.replace(NAME_RE, '_').slice(0, MAX_NAME);
}

/** The listed tool a model's call names: by its own name, or the name it was offered under. */
export function toolNamed<T extends Pick<TrutoTool, 'name'>>(tools: readonly T[], name: string): T | undefined {
  return tools.find((t) => t.name === name) ?? tools.find((t) => openAiToolName(t.name) === name);
}

export function toOpenAiFunction(tool: TrutoTool): OpenAiFunctionTool {
  const props: Record<string, unknown> = { ...properties(tool.query_schema), ...properties(tool.body_schema) };
  if (['get', 'update', 'delete'].includes(tool.method) && props.id === undefined) {
    props.id = { type: 'string', description: 'The ID of the record.' };
  }
  const required = [...new Set(tool.required ?? [])].filter((k) => Object.hasOwn(props, k));
  const spec = capabilityOfTool(tool);
  const access = spec?.access ?? 'write';
  const base = tool.description?.trim() || (spec ? `Gong: ${spec.label}.` : `Gong: ${tool.method} ${tool.resource}.`);
  const description = `${base} (${access === 'read' ? 'Reads' : 'Writes to'} Gong.)`;
  return {
    type: 'function',
    function: {
      name: openAiToolName(tool.name),
      description,
      parameters: { type: 'object', properties: props, ...(required.length ? { required } : {}) },
    },
  };
}
