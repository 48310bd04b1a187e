/**
 * OpenAI's wire shapes as the sandbox model needs them: the chat-completion request (validated
 * leniently, the way OpenAI's own validation rejects only what it cannot serve) and the error envelope.
 */
import { z } from 'zod';

export interface LlmResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}

const TextPart = z.object({ type: z.string(), text: z.string().optional() }).loose();

const Message = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(TextPart), z.null()]).optional(),
    name: z.string().optional(),
  })
  .loose();

const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).loose(),
  z.object({ type: z.literal('json_object') }).loose(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          // OpenAI's own rule for schema names.
          name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must match ^[a-zA-Z0-9_-]{1,64}$'),
          schema: z.record(z.string(), z.unknown()).optional(),
          strict: z.boolean().nullish(),
        })
        .loose(),
    })
    .loose(),
]);

const positiveInt = z.number().int().positive();

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(Message).min(1),
    max_tokens: positiveInt.nullish(),
    max_completion_tokens: positiveInt.nullish(),
    response_format: ResponseFormat.nullish(),
    stream: z.boolean().nullish(),
    n: z.number().int().min(1).max(1, 'the sandbox serves n=1 only').nullish(),
  })
  .loose();
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

/** A message flattened to text, as the model and the token counter see it. */
export interface FlatMessage {
  role: string;
  content: string | null;
  name?: string;
}

export function flattenMessages(messages: ChatCompletionRequest['messages']): FlatMessage[] {
  return messages.map((m) => {
    const content =
      typeof m.content === 'string'
        ? m.content
        : Array.isArray(m.content)
          ? m.content.map((part) => part.text ?? '').join('\n')
          : null;
    return m.name === undefined ? { role: m.role, content } : { role: m.role, content, name: m.name };
  });
}

/** Turns a zod failure into OpenAI's 400 message and `param` (e.g. `messages[0].role`). */
export function describeValidationError(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  if (!issue) return { message: 'Invalid request body.', param: null };
  const param = issue.path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return { message: `Missing required parameter: '${param}'.`, param: param || null };
  }
  return { message: `Invalid value for '${param}': ${issue.message}.`, param: param || null };
}
