/**
 * A JSON parser for prefixes of JSON text. A result the fleet shows truncated arrives as the first
 * N characters of its JSON; a model still reads what is there. This keeps every complete value and
 * every container opened so far, and drops the one scalar cut in half (a cut number or string would
 * be a wrong value, not a shorter one).
 */

export interface PartialJson {
  /** What could be read; undefined when not even the first value started. */
  value: unknown;
  /** True when `text` was one whole JSON value. */
  complete: boolean;
}

interface Step {
  value: unknown;
  /** The value ended inside the text. */
  ok: boolean;
  /** An unfinished value worth keeping (a container). */
  keep: boolean;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER_RE = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: Array<[string, unknown]> = [['true', true], ['false', false], ['null', null]];
const CUT: Step = { value: undefined, ok: false, keep: false };

export function parsePartialJson(text: string): PartialJson {
  try {
    return { value: JSON.parse(text) as unknown, complete: true };
  } catch {
    // A prefix (or junk): read what is there below.
  }
  let i = 0;

  const skip = (): void => {
    while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  };

  const str = (): Step => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '"') {
        i++;
        return { value: JSON.parse(text.slice(start, i)) as string, ok: true, keep: true };
      }
      i++;
    }
    return CUT;
  };

  const scalar = (): Step => {
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (m) {
      i += m[0].length;
      // A number touching the end of the text may have lost digits.
      return i >= text.length ? CUT : { value: Number(m[0]), ok: true, keep: true };
    }
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { value, ok: true, keep: true };
      }
      if (word.startsWith(text.slice(i))) {
        i = text.length;
        return CUT;
      }
    }
    throw new SyntaxError(`Unexpected character at ${i}`);
  };

  const array = (): Step => {
    i++;
    const out: unknown[] = [];
    for (;;) {
      skip();
      if (i >= text.length) return { value: out, ok: false, keep: true };
      if (text[i] === ']') {
        i++;
        return { value: out, ok: true, keep: true };
      }
      const item = value();
      if (item.ok || item.keep) out.push(item.value);
      if (!item.ok) return { value: out, ok: false, keep: true };
      skip();
      if (i >= text.length) return { value: out, ok: false, keep: true };
      if (text[i] === ',') i++;
      else if (text[i] !== ']') throw new SyntaxError(`Expected , or ] at ${i}`);
    }
  };

  const object = (): Step => {
    i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      skip();
      if (i >= text.length) return { value: out, ok: false, keep: true };
      if (text[i] === '}') {
        i++;
        return { value: out, ok: true, keep: true };
      }
      if (text[i] !== '"') throw new SyntaxError(`Expected a key at ${i}`);
      const key = str();
      if (!key.ok) return { value: out, ok: false, keep: true };
      skip();
      if (i >= text.length) return { value: out, ok: false, keep: true };
      if (text[i] !== ':') throw new SyntaxError(`Expected : at ${i}`);
      i++;
      const item = value();
      // Keys come from tool results: never let one reach the object's prototype.
      const name = key.value as string;
      if ((item.ok || item.keep) && name !== '__proto__') out[name] = item.value;
      if (!item.ok) return { value: out, ok: false, keep: true };
      skip();
      if (i >= text.length) return { value: out, ok: false, keep: true };
      if (text[i] === ',') i++;
      else if (text[i] !== '}') throw new SyntaxError(`Expected , or } at ${i}`);
    }
  };

  const value = (): Step => {
    skip();
    if (i >= text.length) return CUT;
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return str();
    return scalar();
  };

  try {
    const top = value();
    skip();
    if (top.ok && i < text.length) return { value: undefined, complete: false };
    return { value: top.ok || top.keep ? top.value : undefined, complete: top.ok };
  } catch {
    return { value: undefined, complete: false };
  }
}
