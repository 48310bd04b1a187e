/**
 * `truto-tool`: run any READ tool of an integrated account under the governor. The one path later
 * workflows and a future agent mode share for single upstream calls. Write tools are refused here:
 * they run only from explicit write jobs (see shared/upstream/tool-access.ts).
 */
import { catalog } from '../queues/catalog.ts';
import { NonRetryableError } from '../shared/platform/index.ts';
import { toolAccess } from '../shared/upstream/index.ts';
import { implement } from './define-job.ts';

export const trutoTool = implement(catalog['truto-tool'], async (p, { services, signal }) => {
  // Classified by the listed tool's resource + method (a read may be listed under another name).
  const tool = await services.truto.findTool(p.accountId, p.tool);
  if (toolAccess(tool) !== 'read') {
    throw new NonRetryableError(`tool ${p.tool} writes to Gong; it runs only from a write job`);
  }
  if (p.allPages) {
    const items = await services.truto.collectAll(p.accountId, tool, p.args);
    return { items, count: items.length };
  }
  const res = await services.truto.callTool(p.accountId, tool, p.args, { signal });
  return { status: res.status, body: res.body };
});
