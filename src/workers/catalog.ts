/**
 * The job catalog: every job kind the fleet knows, by name. Producers enqueue through it
 * (type-checked payloads) and workers dispatch through it (re-validated payloads).
 */
import type { JobDefinition } from './define-job.ts';
import { trutoTool } from './truto-tool.ts';

export const catalog = {
  'truto-tool': trutoTool,
} as const satisfies Record<string, JobDefinition>;

export type Catalog = typeof catalog;
export type JobKindName = keyof Catalog;
