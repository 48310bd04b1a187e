/**
 * Wire details: query encoding in Truto's bracket notation, lossless JSON parsing, header maps and
 * the multipart file marker. Kept apart from the client so each rule can be unit-tested alone.
 */
import type { TrutoFile } from './types.ts';

/** `{filter: {callIds: ['1']}}` → `filter[callIds][]=1`, as `qs.stringify(…, {arrayFormat: 'brackets'})`. */
export function encodeQuery(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null) {
      pairs.push(`${key}=`);
    } else if (value instanceof Date) {
      pairs.push(`${key}=${encodeURIComponent(value.toISOString())}`);
    } else if (Array.isArray(value)) {
      for (const item of value) add(`${key}[]`, item);
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}[${encodeURIComponent(k)}]`, v);
    } else {
      pairs.push(`${key}=${encodeURIComponent(String(value))}`);
    }
  };
  for (const [k, v] of Object.entries(params)) add(encodeURIComponent(k), v);
  return pairs.join('&');
}

/**
 * JSON.parse that keeps integers beyond 2^53 exact by turning them into strings. Gong sends
 * scorecard, task and CRM ids as int64 JSON numbers; a plain parse would silently corrupt them.
 */
export function parseJsonLossless(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text[j] ?? '')) j++;
      const token = text.slice(i, j);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(last, i)}"${token}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(out + text.slice(last));
}

/** Headers as a plain object with lower-cased names (the `Headers` iterator already lower-cases). */
export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key.toLowerCase()] = value;
  });
  return out;
}

/** Marks a value as a file part for a multipart body. */
export function trutoFile(filename: string, content: TrutoFile['content'], contentType?: string): TrutoFile {
  return contentType === undefined ? { filename, content } : { filename, content, contentType };
}

/** True for a `Blob` or a `{filename, content}` marker. */
export function isFileArg(value: unknown): value is Blob | TrutoFile {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.filename === 'string' &&
    (typeof v.content === 'string' || v.content instanceof Uint8Array)
  );
}

/** Builds the multipart form: files as parts named by their key, other values as text fields. */
export function toFormData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (isFileArg(value)) {
      if (value instanceof Blob) {
        form.append(key, value, value instanceof File ? value.name : key);
      } else {
        const type = value.contentType ?? 'application/octet-stream';
        const bytes = typeof value.content === 'string' ? value.content : new Uint8Array(value.content);
        form.append(key, new Blob([bytes], { type }), value.filename);
      }
    } else {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}
