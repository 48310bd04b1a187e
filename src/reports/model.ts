/**
 * The report a summarize or autopsy run produces: what the Markdown and JSON files hold. Every call
 * id in it comes from data fetched in the run (the appendix lists each call considered).
 */
import type { DealReport, Degradation, TaskLine } from '../shared/domain/index.ts';

export type { TaskLine };

export interface Citation {
  callId: string;
  title: string;
  date: string;
  timestamp: string;
  link: string;
  quote: string;
}

export interface ReportSectionPoint {
  point: string;
  citations: Citation[];
}

export interface AppendixEntry {
  callId: string;
  title: string;
  started: string;
  url: string;
  /**
   * `not-ready`: the call just ended and Gong has no transcript yet (a later run fetches it);
   * `no-transcript`: an older call Gong has no transcript for; `missing`: something failed (reason).
   */
  status: 'summarized' | 'cached' | 'missing' | 'not-ready' | 'no-transcript';
  reason?: string;
  findings: number;
  chunks?: number;
}

export interface RunReport {
  kind: 'summarize' | 'autopsy';
  runId: string;
  generatedAt: string;
  accountId: string;
  subject: string;
  window: { from: string; to: string };
  /** `crmId` is absent when nothing (CRM context, CRM read, Engage tasks) named the deal's CRM id. */
  deal?: { name: string; crmId?: string; accountName?: string; stage?: string; amount?: string; tiedBy?: 'crm-context' | 'title' };
  headline: string;
  /** Set when most calls are missing: why the report can't stand for its calls (the command exits 1). */
  incomplete?: string;
  overallSentiment: DealReport['overallSentiment'];
  sections: {
    objections: ReportSectionPoint[];
    risks: ReportSectionPoint[];
    competitors: ReportSectionPoint[];
    pricing: ReportSectionPoint[];
    nextSteps: ReportSectionPoint[];
  };
  tasks?: { open: TaskLine[]; done: TaskLine[]; dismissed: TaskLine[]; note?: string };
  brief?: { status: 'available' | 'unavailable'; note?: string; sections: { title: string; summary: string[] }[] };
  calls: AppendixEntry[];
  /** How the account's tools limited this report (absent when nothing was lost). */
  degradations?: Degradation[];
  stats: {
    callsConsidered: number;
    summarized: number;
    fromCache: number;
    missing: number;
    /** Calls whose transcripts Gong is still processing (not stored; a later run fetches them). */
    notReady: number;
    /** Calls Gong has no transcript for. */
    noTranscript: number;
    mapPromptTokens: number;
    mapCompletionTokens: number;
    reducePromptTokens: number;
    reduceCompletionTokens: number;
    reduceLlmCalls: number;
    maxPromptTokens: number;
    droppedCitations: number;
    /** Partial reports the model could not merge within its output, merged in code (reduce-tree.ts). Optional: older reports lack it. */
    reduceLocalMerges?: number;
  };
}
