/**
 * Gong's generic-CRM upload format, per object type (gong-api.md §5): the common fields every line
 * carries, each type's own fields, and which types accept custom fields. The zod schemas mirror
 * the rules Gong states so a bad line is caught locally, with its number, before anything uploads.
 */
import { z } from 'zod';

export const CRM_OBJECT_TYPES = ['ACCOUNT', 'CONTACT', 'DEAL', 'LEAD', 'BUSINESS_USER', 'STAGE'] as const;
export type CrmObjectType = (typeof CRM_OBJECT_TYPES)[number];

export function isCrmObjectType(v: string): v is CrmObjectType {
  return (CRM_OBJECT_TYPES as readonly string[]).includes(v);
}

/** Gong's limit for one `dataFile`. */
export const GONG_MAX_FILE_BYTES = 200 * 1024 * 1024;

// Gong: "at most 64 chars; alphanumerics and `-`, or a valid email".
const OBJECT_ID_RE = /^[A-Za-z0-9-]{1,64}$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Gong: ISO-8601 *without milliseconds*, with a zone.
const ISO_NO_MS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/;

const objectId = z
  .string({ error: 'objectId is required' })
  .min(1, 'objectId is required')
  .refine((id) => id.length <= 64 && (OBJECT_ID_RE.test(id) || EMAIL_RE.test(id)), {
    message: 'objectId must be up to 64 letters, digits and hyphens, or an email address',
  });
const isoNoMs = (field: string) =>
  z.string({ error: `${field} must be an ISO-8601 date-time string` }).regex(ISO_NO_MS_RE, `${field} must be ISO-8601 without milliseconds, e.g. 2026-03-10T09:30:00Z`);
const email = (field: string) => z.string({ error: `${field} must be a string` }).regex(EMAIL_RE, `${field} must be an email address`);
const text = z.string();

const common = {
  objectId,
  modifiedDate: isoNoMs('modifiedDate'),
  isDeleted: z.boolean({ error: 'isDeleted must be true or false' }).optional(),
  url: text.optional(),
};

const person = {
  emailAddress: email('emailAddress').optional(),
  firstName: text.optional(),
  lastName: text.optional(),
  title: text.optional(),
  phoneNumber: text.optional(),
};

/** Standard fields of each type (custom fields aside), used to spot a line of another type. */
export const TYPE_FIELDS: Record<CrmObjectType, readonly string[]> = {
  ACCOUNT: ['name', 'domains'],
  CONTACT: ['accountId', 'emailAddress', 'firstName', 'lastName', 'title', 'phoneNumber'],
  DEAL: ['accountId', 'ownerId', 'name', 'createdDate', 'closeDate', 'status', 'stage', 'amount'],
  LEAD: ['emailAddress', 'firstName', 'lastName', 'title', 'phoneNumber', 'convertedToDealId', 'convertedToContactId', 'convertedToAccountId'],
  BUSINESS_USER: ['emailAddress'],
  STAGE: ['name', 'isActive', 'sortOrder'],
};
export const COMMON_FIELDS = ['objectId', 'modifiedDate', 'isDeleted', 'url'] as const;

/** Only ACCOUNT and DEAL take custom fields (defined via entity-schema); the others are strict. */
export const ALLOWS_CUSTOM_FIELDS: ReadonlySet<CrmObjectType> = new Set(['ACCOUNT', 'DEAL']);

export const LINE_SCHEMAS: Record<CrmObjectType, z.ZodType> = {
  ACCOUNT: z.looseObject({
    ...common,
    name: text.optional(),
    domains: z.array(text, { error: 'domains must be an array of strings' }).optional(),
  }),
  CONTACT: z.strictObject({ ...common, accountId: text.optional(), ...person }),
  DEAL: z.looseObject({
    ...common,
    accountId: text.optional(),
    ownerId: text.optional(),
    name: text.optional(),
    createdDate: text.optional(),
    closeDate: text.optional(),
    status: z.enum(['WON', 'LOST', 'OPEN'], { error: 'status must be WON, LOST or OPEN' }).optional(),
    stage: text.optional(),
    amount: z.number({ error: 'amount must be a number' }).optional(),
  }),
  LEAD: z.strictObject({
    ...common,
    ...person,
    convertedToDealId: text.optional(),
    convertedToContactId: text.optional(),
    convertedToAccountId: text.optional(),
  }),
  BUSINESS_USER: z
    .strictObject({ ...common, emailAddress: email('emailAddress').optional() })
    .refine((u) => u.isDeleted === true || u.emailAddress !== undefined, { message: 'emailAddress is required (unless isDeleted)', path: ['emailAddress'] }),
  STAGE: z
    .strictObject({
      ...common,
      // Gong: modifiedDate is not required for stages.
      modifiedDate: isoNoMs('modifiedDate').optional(),
      name: text.optional(),
      isActive: z.boolean({ error: 'isActive must be true or false' }).optional(),
      sortOrder: z.number({ error: 'sortOrder must be a number' }).optional(),
    })
    .refine((s) => s.isDeleted === true || (typeof s.name === 'string' && s.name !== ''), { message: 'name is required (unless isDeleted)', path: ['name'] }),
};
