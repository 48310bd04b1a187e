/** The Truto client's public surface. Anything not named here is internal. */
export { TrutoClient, UnknownToolError, MissingToolScopeError } from './truto/client.ts';
export type { TrutoClientOptions, CallOptions, IterateOptions, CollectOptions } from './truto/client.ts';
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
} from './truto/types.ts';
export type {
  TrutoTool,
  TrutoListEnvelope,
  IntegratedAccount,
  TrutoFile,
  ToolResponse,
  ToolPage,
  ToolFilter,
} from './truto/types.ts';
export { buildProxyRequest, isListTool } from './truto/routing.ts';
export type { ProxyRequest, HttpMethod } from './truto/routing.ts';
export { extractItems, gongNextCursor } from './truto/pagination.ts';
export { encodeQuery, parseJsonLossless, trutoFile, isFileArg } from './truto/wire.ts';
export * as gong from './truto/gong-schemas.ts';
