/**
 * The upload's `clientRequestId`, derived from what is uploaded and where. Gong refuses a reused id
 * with 409, so a retry after a crash (or running the same command twice) can never upload the same
 * file twice: it lands on the same id, and a 409 means "uploaded before, go on polling".
 */
import { createHash } from 'node:crypto';
import type { CrmObjectType } from './object-types.ts';

// Gong allows letters, digits, `-` and `_`; a prefix makes the fleet's uploads recognisable.
const ID_RE = /^gf-[a-f0-9]{32}$/;

export function clientRequestIdFor(content: string | Buffer, objectType: CrmObjectType, integrationId: string, accountId: string): string {
  const h = createHash('sha256');
  for (const part of [accountId, integrationId, objectType]) h.update(part).update('\u0000');
  h.update(content);
  return `gf-${h.digest('hex').slice(0, 32)}`;
}

export function isClientRequestId(v: string): boolean {
  return ID_RE.test(v);
}
