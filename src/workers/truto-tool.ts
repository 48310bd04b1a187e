/**
 * `truto-tool`: run any READ tool of an integrated account under the governor. The one path later
 * workflows and a future agent mode share for single upstream calls. Write tools are refused here:
 * they run only from explicit write jobs (see tool-access.ts).
 */
import { z } from 'zod';
import { NonRetryableError } from '../shared/platform/index.ts';
import { toolAccess } from '../shared/upstream/index.ts';
import { defineJob } from './define-job.ts';

export const TrutoToolPayload = z.object({
  accountId: z.string().min(1),
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  /** Follow every page and return all items (list tools and POST reads). Default false. */
  allPages: z.boolean().default(false),
});

export const trutoTool = defineJob({
  name: 'truto-tool',
  queue: 'upstream',
  schema: TrutoToolPayload,
  attempts: 5,
  backoffMs: 1_000,
  timeoutMs: 120_000,
  async process(p, { services, signal }) {
    if (toolAccess(p.tool) !== 'read') {
      throw new NonRetryableError(`tool ${p.tool} writes to Gong; it runs only from a write job`);
    }
    if (p.allPages) {
      const items = await services.truto.collectAll(p.accountId, p.tool, p.args);
      return { items, count: items.length };
    }
    const res = await services.truto.callTool(p.accountId, p.tool, p.args, { signal });
    return { status: res.status, body: res.body };
  },
});
