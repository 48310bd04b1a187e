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

/**
 * The tool a read-only job may call, or WriteRefusedError. A name is looked up in the account's
 * (cached) tool list first and the listed tool is classified by its resource + method: a name
 * alone could be a read's name on a write method, or a read listed under another name.
 */
async function readTool(client: TrutoClient, accountId: string, tool: string | TrutoTool): Promise<TrutoTool> {
  const resolved = typeof tool === 'string' ? await client.findTool(accountId, tool) : tool;
  if (toolAccess(resolved) !== 'read') throw new WriteRefusedError(resolved.name);
  return resolved;
}

/** The same client, with every tool-calling method refusing write (and unknown) tools. */
export function readOnlyTruto(client: TrutoClient): TrutoClient {
  const view = Object.create(client) as TrutoClient;
  view.callTool = async (accountId, tool, args, opts) => client.callTool(accountId, await readTool(client, accountId, tool), args, opts);
  view.iterateTool = async function* (accountId, tool, args, opts) {
    yield* client.iterateTool(accountId, await readTool(client, accountId, tool), args, opts);
  };
  view.collectAll = async (accountId, tool, args, opts) => client.collectAll(accountId, await readTool(client, accountId, tool), args, opts);
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
