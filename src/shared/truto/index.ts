/** The Truto client's public surface. Anything not named here is internal. */
export { TrutoClient, UnknownToolError, MissingToolScopeError } from './client.ts';
export type { TrutoClientOptions, CallOptions, IterateOptions, CollectOptions } from './client.ts';
export {
  TrutoApiError,
  TrutoValidationError,
  TrutoAuthError,
  TrutoPaymentRequiredError,
  TrutoScopeError,
  TrutoNotFoundError,
  TrutoConflictError,
  TrutoUnprocessableError,
  TrutoRateLimitError,
  TrutoServerError,
  TrutoTimeoutError,
  TrutoConnectionError,
  TrutoResponseShapeError,
  PaginationLimitError,
  makeTrutoError,
  parseMissingScope,
  errorDetail,
} from './errors.ts';
export type { TrutoErrorBody, TrutoErrorContext } from './errors.ts';
export {
  TrutoToolSchema,
  ToolsResponseSchema,
  TrutoListEnvelopeSchema,
  IntegratedAccountSchema,
} from './types.ts';
export type {
  TrutoTool,
  TrutoListEnvelope,
  IntegratedAccount,
  TrutoFile,
  ToolResponse,
  ToolPage,
  ToolFilter,
} from './types.ts';
export { buildProxyRequest, isListTool } from './routing.ts';
export type { ProxyRequest, HttpMethod } from './routing.ts';
export { extractItems, gongNextCursor } from './pagination.ts';
export { encodeQuery, parseJsonLossless, trutoFile, isFileArg } from './wire.ts';
export * as gong from './gong-schemas.ts';
