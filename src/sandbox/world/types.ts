/** Data model of the simulated Gong world. All ids are numeric strings below 2^53 (see prng.ts). */
import type { FindingCategory } from '../../shared/domain/index.ts';
import type { SandboxAccountInfo } from '../types.ts';

export type AccountKind = 'deals' | 'coaching' | 'restricted' | 'extra';

export interface WorldUser {
  id: string;
  emailAddress: string;
  firstName: string;
  lastName: string;
  title: string;
  /** Gong user id of the manager, if any. */
  managerId?: string;
  createdMs: number;
  role: 'seller' | 'manager' | 'executive';
  phoneNumber: string;
}

export interface CrmAccount {
  crmId: string;
  name: string;
  domain: string;
  industry: string;
}

export interface CrmContact {
  crmId: string;
  accountCrmId: string;
  firstName: string;
  lastName: string;
  title: string;
  emailAddress: string;
  phoneNumber: string;
}

/** Which planted themes a deal's calls draw from: category → theme ids of transcript-bank PLANTED. */
export type DealThemes = Partial<Record<FindingCategory, string[]>>;

export interface Deal {
  crmId: string;
  accountCrmId: string;
  name: string;
  stage: string;
  status: 'OPEN' | 'WON' | 'LOST';
  amount: number;
  probability: number;
  /** YYYY-MM-DD */
  closeDate: string;
  ownerUserId: string;
  leadSource: string;
  type: string;
  themes: DealThemes;
  /** Whether `get-brief` has a brief for this deal. */
  hasBrief: boolean;
}

export interface WorldCall {
  id: string;
  /** Position in the account's generation sequence; keys its PRNG. */
  index: number;
  startedMs: number;
  durationSec: number;
  title: string;
  primaryUserId: string;
  /** Internal Gong users on the call, host first. */
  internalUserIds: string[];
  /** CRM contacts on the call (external speakers). */
  externalContactIds: string[];
  dealCrmId?: string;
  accountCrmId?: string;
  scope: 'External' | 'Internal';
  direction: 'Conference' | 'Outbound' | 'Inbound';
  system: string;
  media: 'Video' | 'Audio';
  /** Categories forced into this call's planted facts (e.g. Globex's security call). */
  forcedThemes?: DealThemes;
}

export interface WorldTask {
  id: string;
  userId: string;
  createdMs: number;
  updatedMs: number;
  status: 'OPEN' | 'DONE' | 'DISMISSED';
  type: 'FLOW' | 'MANUAL';
  title: string;
  dueMs: number;
  priority: { id: number; name: string; weight: number };
  dealCrmId: string;
  accountCrmId: string;
  contactCrmId?: string;
  flow?: { id: string; name: string; stepName: string; stepNumber: number };
}

/** A manager's activity on a rep's call (coaching account). */
export interface CoachingEvent {
  callId: string;
  reviewerUserId: string;
  reviewedUserId: string;
  atMs: number;
  /** `self_listen`: a rep replaying their own call (Gong's `ownCallsListenedTo`). */
  kind: 'listen' | 'attend' | 'feedback' | 'scorecard' | 'self_listen';
}

export interface AnsweredScorecardRecord {
  answeredScorecardId: string;
  scorecardId: string;
  scorecardName: string;
  callId: string;
  reviewedUserId: string;
  reviewerUserId: string;
  reviewMs: number;
  scores: number[];
}

export interface Monologue {
  speakerId: string;
  topic: string | null;
  sentences: Array<{ start: number; end: number; text: string }>;
}

export interface PlantedFact {
  category: FindingCategory;
  text: string;
  speakerId: string;
  startMs: number;
}

export interface CallParty {
  id: string;
  speakerId: string;
  name: string;
  emailAddress: string;
  title: string;
  affiliation: 'Internal' | 'External';
  /** Gong user id for internal parties. */
  userId?: string;
  contactCrmId?: string;
}

/** Per-rep ground truth of the coaching account for the last 30 days `[now-30d, now)`. */
export interface RepCoachingTruth {
  userId: string;
  managerId: string;
  isNewHire: boolean;
  callsHosted: number;
  callsListenedByManager: number;
  scorecardsReceived: number;
  /** New hire with fewer than 5 calls listened to by their manager. */
  flagNeglectedNewHire: boolean;
  /** 20+ calls hosted and zero scorecards received. */
  flagNoScorecards: boolean;
}

export interface AccountData {
  info: SandboxAccountInfo;
  kind: AccountKind;
  /** Key for this account's PRNG streams (stable across runs for the same seed). */
  key: string;
  workspaceId: string;
  workspaceName: string;
  companyDomain: string;
  integration: { integrationId: string; name: string; ownerEmail: string };
  crmSystem: 'Salesforce';
  users: WorldUser[];
  crmAccounts: CrmAccount[];
  contacts: CrmContact[];
  deals: Deal[];
  calls: WorldCall[];
  tasks: WorldTask[];
  coachingEvents: CoachingEvent[];
  scorecards: AnsweredScorecardRecord[];
  /** get-brief answers 402 here (no AI credits). */
  briefsPaymentRequired: boolean;
}
