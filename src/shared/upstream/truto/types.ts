/**
 * Shapes of Truto's own responses that the client relies on, validated with zod. Unknown fields are
 * tolerated everywhere: Truto and Gong add fields without notice.
 */
import { z } from 'zod';

const JsonSchemaObject = z.looseObject({
  type: z.unknown().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** One tool from `GET /integrated-account/:id/tools`. Route on `resource` + `method`, never `name`. */
export const TrutoToolSchema = z.looseObject({
  name: z.string().min(1),
  /** Proxy resource, e.g. `calls_transcript`. */
  resource: z.string().min(1),
  /** Truto method: list | get | create | update | delete | a custom method name. */
  method: z.string().min(1),
  description: z.string().nullish(),
  query_schema: JsonSchemaObject.nullish(),
  body_schema: JsonSchemaObject.nullish(),
  /** One flat list covering query and body keys. */
  required: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
  response_schema: z.unknown().optional(),
});
export type TrutoTool = z.infer<typeof TrutoToolSchema>;

/**
 * The docs say `results`, Truto's SDK reads `result`; accept either (truto-api.md §1).
 */
export const ToolsResponseSchema = z
  .looseObject({ result: z.array(TrutoToolSchema).optional(), results: z.array(TrutoToolSchema).optional() })
  .refine((b) => b.result !== undefined || b.results !== undefined, { message: 'expected `result` or `results`' });

/** Truto's list envelope: `{result, next_cursor, prev_cursor?, result_count?}`. */
export const TrutoListEnvelopeSchema = z.looseObject({
  result: z.array(z.unknown()),
  next_cursor: z.string().nullish(),
  prev_cursor: z.string().nullish(),
  result_count: z.number().optional(),
  is_partial_response: z.boolean().optional(),
});
export type TrutoListEnvelope = z.infer<typeof TrutoListEnvelopeSchema>;

/** An integrated account from `GET /integrated-account`. */
export const IntegratedAccountSchema = z.looseObject({
  id: z.string().min(1),
  tenant_id: z.string().nullish(),
  environment_id: z.string().nullish(),
  status: z.string().nullish(),
  integration: z.looseObject({ name: z.string().optional() }).nullish(),
  context: z.record(z.string(), z.unknown()).nullish(),
});
export type IntegratedAccount = z.infer<typeof IntegratedAccountSchema>;

/** A file for a multipart body key, e.g. the `dataFile` of `create_a_gong_crm_entity`. */
export interface TrutoFile {
  filename: string;
  content: Buffer | Uint8Array | string;
  /** Default `application/octet-stream`. */
  contentType?: string;
}

/** What a proxy call returned (2xx only; other statuses throw typed errors). */
export interface ToolResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  /** Parsed JSON (integers beyond 2^53 arrive as strings), text for non-JSON, `{}` for 204. */
  body: unknown;
}

/** One page of a paginated tool. */
export interface ToolPage {
  items: unknown[];
  /** The whole page body (envelope or Gong body), for fields beside the items. */
  body: unknown;
  /** 0-based. */
  pageIndex: number;
  /** How this answer was paged: Truto's envelope, Gong's body cursor, or not at all (a bare array). */
  paging: 'truto' | 'gong' | 'none';
}

export interface ToolFilter {
  /** Truto methods (`list`, `read`, `write`, a custom name...). Default all. */
  methods?: string[];
  /** Resource tags. Default all. */
  tags?: string[];
  /** Only tools with a description (Truto's own default). Default false: every tool, documented or not. */
  hasDescription?: boolean;
}
