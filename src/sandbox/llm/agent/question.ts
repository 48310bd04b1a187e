/**
 * What the user asked, read from the last user message only (never from tool results): which of
 * the supported question kinds it is, by keywords, and the values in it (quoted names, dates,
 * call ids, a task status, numbers). Names of people and companies are not guessed here: plans
 * match them against the users and calls the tools return.
 */

export type IntentKind =
  | 'coaching-review' | 'scorecard-trend' | 'activity' | 'deal-brief' | 'transcript-objections'
  | 'task-status' | 'crm-stage' | 'deal-autopsy' | 'summarize-calls' | 'unknown';

/** Whole UTC days: `[fromMs, toMs)`. */
export interface DayRange {
  fromMs: number;
  toMs: number;
}

export interface Question {
  text: string;
  lower: string;
  kind: IntentKind;
  /** Text in single, double or curly quotes, in order. */
  quoted: string[];
  /** The first two dates named, as a range of whole days (the second date included). */
  range?: DayRange;
  /** Digit runs of 6+ characters (Gong call ids). */
  callIds: string[];
  status?: 'OPEN' | 'DONE' | 'DISMISSED';
  /** "last N days". */
  days?: number;
  /** "fewer than N" / "less than N". */
  threshold?: number;
}

export const DAY_MS = 86_400_000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_RES: Array<{ re: RegExp; parts: (m: RegExpExecArray) => [number | undefined, number, number] }> = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, parts: (m) => [Number(m[1]), Number(m[2]) - 1, Number(m[3])] },
  { re: new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi'), parts: (m) => [m[3] ? Number(m[3]) : undefined, monthIndex(m[1]!), Number(m[2])] },
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\b(?:,?\\s+(\\d{4})\\b)?`, 'gi'), parts: (m) => [m[3] ? Number(m[3]) : undefined, monthIndex(m[2]!), Number(m[1])] },
];

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase());
}

export function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Dates named in `text`, in order; a date without a year is the latest one not after today. */
export function datesIn(text: string, nowMs: number): number[] {
  const today = dayStart(nowMs);
  const found: Array<{ at: number; ms: number }> = [];
  for (const { re, parts } of DATE_RES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const [year, month, day] = parts(m);
      if (month < 0 || day < 1 || day > 31) continue;
      let ms = Date.UTC(year ?? new Date(today).getUTCFullYear(), month, day);
      if (year === undefined && ms > today) ms = Date.UTC(new Date(today).getUTCFullYear() - 1, month, day);
      if (!found.some((f) => Math.abs(f.at - m!.index) < 3)) found.push({ at: m.index, ms });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.ms);
}

/** The quarter named ("Q3", "Q3 2026", "third quarter", "this/last quarter"), clipped to today. */
export function quarterIn(text: string, nowMs: number): (DayRange & { label: string }) | undefined {
  const lower = text.toLowerCase();
  const today = dayStart(nowMs);
  const year = new Date(today).getUTCFullYear();
  const current = Math.floor(new Date(today).getUTCMonth() / 3) + 1;
  const words: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4 };
  let q: number | undefined;
  let y: number | undefined;
  const m = /\bq([1-4])\b(?:\s*(?:of\s+)?(?:fy\s*)?(\d{4}))?/.exec(lower) ?? /\b(?:(first|second|third|fourth) quarter)(?:\s+(?:of\s+)?(\d{4}))?/.exec(lower);
  if (m) {
    q = words[m[1]!] ?? Number(m[1]);
    if (m[2]) y = Number(m[2]);
  } else if (/\bthis quarter\b/.test(lower)) {
    q = current;
  } else if (/\blast quarter\b|\bprevious quarter\b/.test(lower)) {
    q = current === 1 ? 4 : current - 1;
    y = current === 1 ? year - 1 : year;
  }
  if (q === undefined) return undefined;
  // Without a year: the latest such quarter that has started.
  if (y === undefined) y = q <= current ? year : year - 1;
  const fromMs = Date.UTC(y, (q - 1) * 3, 1);
  const endMs = Date.UTC(y, q * 3, 1);
  return { fromMs, toMs: Math.min(endMs, today + DAY_MS), label: `Q${q} ${y}` };
}

export function readQuestion(text: string, nowMs: number): Question {
  const lower = text.toLowerCase();
  const quoted = [...text.matchAll(/'([^']{2,80})'|"([^"]{2,80})"|‘([^’]{2,80})’|“([^”]{2,80})”/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? m[4])!.trim());
  const dates = datesIn(text, nowMs);
  const q: Question = {
    text,
    lower,
    kind: kindOf(lower),
    quoted,
    callIds: [...text.matchAll(/\b\d{6,20}\b/g)].map((m) => m[0]).filter((id) => !/^(19|20)\d{2}$/.test(id)),
  };
  if (dates.length >= 2) {
    const [a, b] = [Math.min(dates[0]!, dates[1]!), Math.max(dates[0]!, dates[1]!)];
    q.range = { fromMs: a, toMs: b + DAY_MS };
  } else if (dates.length === 1) {
    q.range = { fromMs: dates[0]!, toMs: dayStart(nowMs) + DAY_MS };
  }
  // A status in capitals, or "as done" / "to dismissed" in any case; "close"/"complete" mean DONE, "dismiss" DISMISSED.
  const status = /\b(DONE|DISMISSED|OPEN)\b/.exec(text) ?? /\b(?:as|to)\s+(done|dismissed|open)\b/i.exec(text);
  if (status) q.status = status[1]!.toUpperCase() as Question['status'];
  else if (/\bdismiss\b/i.test(text)) q.status = 'DISMISSED';
  else if (/\b(?:close|complete|finish)\b/i.test(text)) q.status = 'DONE';
  const days = /\b(?:last|past)\s+(\d{1,3})\s+days?\b/.exec(lower);
  if (days) q.days = Number(days[1]);
  const threshold = /\b(?:fewer|less)\s+than\s+(\d{1,3})\b/.exec(lower);
  if (threshold) q.threshold = Number(threshold[1]);
  return q;
}

function kindOf(lower: string): IntentKind {
  const has = (re: RegExp): boolean => re.test(lower);
  if (has(/\bnew (?:reps?|hires?|sdrs?)\b/) && has(/\blisten/)) return 'coaching-review';
  if (has(/\bscorecards?\b/) && has(/\bimprov|\btrend|\bprogress|\bdoing\b|\bperform|\bscores?\b/)) return 'scorecard-trend';
  if (has(/\bhost/) && has(/\blisten/)) return 'activity';
  if (has(/\bbriefs?\b/)) return 'deal-brief';
  if (has(/\btranscripts?\b/) && has(/\b\d{6,20}\b/)) return 'transcript-objections';
  if (has(/\btasks?\b/) && ((has(/\b(?:mark|set|change|update|move)\b/) && has(/\b(?:done|dismissed|dismiss|open)\b/)) || has(/\b(?:close|complete|finish|dismiss)\b/))) return 'task-status';
  if (has(/\bcrm\b/) && has(/\bstage\b/) && has(/\b(?:update|set|change|move)\b/)) return 'crm-stage';
  if (has(/\bautopsy\b|\bstalled\b|\bpost-?mortem\b/) || (has(/\banaly[sz]e\b/) && has(/\bdeal\b/))) return 'deal-autopsy';
  if (has(/\bsummari[sz]e\b/) && has(/\bcalls?\b/)) return 'summarize-calls';
  return 'unknown';
}
