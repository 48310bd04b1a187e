/**
 * Picks the sandbox model's answer by `response_format.json_schema.name`. Every answer is derived
 * from the request's content alone, so the same prompt always gets the same completion.
 */
import { SCHEMA_NAMES } from '../../../shared/domain/index.ts';
import type { ChatCompletionRequest, FlatMessage } from '../wire.ts';
import { respondCallFindings } from './call-findings.ts';
import { extractJsonBlock, sentences } from './cues.ts';
import { respondDealReport } from './deal-report.ts';
import { minimalInstance } from './json-schema-stub.ts';
import { respondManagerNarrative } from './manager-narrative.ts';

const SUMMARY_SENTENCES = 3;
const SUMMARY_MAX_CHARS = 600;

export interface ModelAnswer {
  content: string;
  /** What `stats().bySchema` counts it under: the schema name, `json_object` or `text`. */
  schemaKey: string;
}

export function answer(
  messages: readonly FlatMessage[],
  responseFormat: ChatCompletionRequest['response_format'],
): ModelAnswer {
  const userText = messages
    .filter((m) => m.role === 'user')
    .map((m) => m.content ?? '')
    .join('\n');

  if (responseFormat?.type === 'json_schema') {
    const { name, schema } = responseFormat.json_schema;
    return { content: JSON.stringify(structured(name, schema, userText)), schemaKey: name };
  }
  if (responseFormat?.type === 'json_object') {
    return { content: '{}', schemaKey: 'json_object' };
  }
  return { content: extractiveSummary(userText), schemaKey: 'text' };
}

function structured(name: string, schema: unknown, userText: string): unknown {
  switch (name) {
    case SCHEMA_NAMES.callFindings:
      return respondCallFindings(userText);
    case SCHEMA_NAMES.dealReport:
      return respondDealReport(extractJsonBlock(userText));
    case SCHEMA_NAMES.managerNarrative:
      return respondManagerNarrative(extractJsonBlock(userText));
    default:
      return minimalInstance(schema);
  }
}

function extractiveSummary(text: string): string {
  const picked = sentences(text.replace(/\s+/g, ' ')).slice(0, SUMMARY_SENTENCES).join(' ');
  if (picked.length === 0) return 'Nothing to summarize.';
  return picked.length > SUMMARY_MAX_CHARS ? `${picked.slice(0, SUMMARY_MAX_CHARS - 1)}…` : picked;
}
