/**
 * Write safety, enforced where jobs get their services rather than promised by each job:
 * `withReadOnlyTruto` gives every job whose contract lacks `writes: true` a Truto client that
 * refuses write tools (tool-access.ts: by the capability a tool serves, unknown tools being
 * writes) before any request is made, so no text a job reads (a
 * transcript, a model's answer) can ever become a write, whatever the job's code does. The record
 * of writes that do happen is the domain's audit log (shared/domain/audit.ts).
 */
import { WriteRefusedError } from './errors.ts';
import { toolAccess } from './tool-access.ts';
import type { TrutoClient } from './truto/client.ts';
import type { TrutoTool } from './truto/types.ts';

function assertRead(tool: string | TrutoTool): void {
  if (toolAccess(tool) !== 'read') throw new WriteRefusedError(typeof tool === 'string' ? tool : tool.name);
}

/** The same client, with every tool-calling method refusing write (and unknown) tools. */
export function readOnlyTruto(client: TrutoClient): TrutoClient {
  const view = Object.create(client) as TrutoClient;
  view.callTool = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.callTool(accountId, tool, args, opts);
  };
  view.iterateTool = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.iterateTool(accountId, tool, args, opts);
  };
  view.collectAll = (accountId, tool, args, opts) => {
    assertRead(tool);
    return client.collectAll(accountId, tool, args, opts);
  };
  return view;
}

const views = new WeakMap<object, object>();

/**
 * The services a read-only job sees: identical except for a read-only Truto client. Cached per
 * services object, so every read-only job of a process shares one view.
 */
export function withReadOnlyTruto<S extends { truto?: TrutoClient | undefined }>(services: S): S {
  // Partial services (runtime tests) without a Truto client have nothing to guard.
  if (!services.truto) return services;
  let view = views.get(services) as S | undefined;
  if (!view) {
    view = { ...services, truto: readOnlyTruto(services.truto) };
    views.set(services, view);
  }
  return view;
}
