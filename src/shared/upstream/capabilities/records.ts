/**
 * A capability's records from one answer, whatever shape Truto gave it: Gong's whole body (the
 * records under the capability's key, or the body itself for single-object answers), Truto's list
 * envelope (`result`, whose entries may themselves be Gong bodies when the method sets no
 * `response_path`), or a bare array. Each record is validated; an answer of no known shape is a
 * TrutoResponseShapeError, never an empty list.
 */
import type { z } from 'zod';
import { TrutoResponseShapeError } from '../errors.ts';
import type { ItemRule } from './types.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(err: z.ZodError): string {
  // Paths only: values may be transcripts or personal data.
  return err.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function rawRecords(rule: ItemRule<unknown>, body: unknown, label: string): unknown[] {
  if (Array.isArray(body)) return body;
  if (!isRecord(body)) throw new TrutoResponseShapeError(`${label}: unexpected response shape (not JSON records)`);
  // Truto's envelope (`results` in some of its docs); a method whose response_path points at one object.
  const listed = body.result ?? body.results;
  if (Array.isArray(listed)) return listed;
  if (isRecord(listed) && ('next_cursor' in body || 'result_count' in body || Object.keys(body).length === 1)) return [listed];
  if (rule.key !== undefined && body[rule.key] !== undefined && body[rule.key] !== null) {
    const value = body[rule.key];
    return Array.isArray(value) ? value : [body];
  }
  if (rule.single) return [body];
  throw new TrutoResponseShapeError(`${label}: unexpected response shape (no \`${rule.key ?? 'result'}\` in the answer)`);
}

export function recordsOf<T>(rule: ItemRule<T>, body: unknown, label: string): T[] {
  let raw = rawRecords(rule as ItemRule<unknown>, body, label);
  const key = rule.key;
  if (key !== undefined) raw = raw.flatMap((r) => (isRecord(r) && Array.isArray(r[key]) ? (r[key] as unknown[]) : [r]));
  if (rule.gather) raw = rule.gather(raw);
  return raw.map((r) => {
    const parsed = rule.schema.safeParse(r);
    if (!parsed.success) throw new TrutoResponseShapeError(`${label}: unexpected record shape (${describe(parsed.error)})`);
    return parsed.data;
  });
}
