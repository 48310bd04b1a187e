/**
 * The shapes of the capability catalog (catalog.ts): a capability's candidate tools, its logical
 * arguments, where its records sit in an answer, and the record type each one normalises to.
 */
import type { z } from 'zod';
import type {
  AnsweredScorecard,
  CallBasicData,
  CallData,
  CallTranscript,
  CoachingData,
  CrmEntity,
  CrmIntegration,
  CrmRequestStatus,
  GetBriefResponse,
  GongTask,
  UserAggregateActivity,
  UserMetadata,
  Workspace,
} from '../truto/gong-schemas.ts';

/** One tool that serves a capability: by its name, or by `resource` + `method` under another name. */
export interface ToolCandidate {
  /** Truto's tool name, when one is known (the seed article's, or the naming convention's). */
  name?: string;
  /** Proxy resource; compared loosely (case, `_`, `-`, `/` ignored). */
  resource: string;
  /** Truto method: list | get | create | update | delete | a custom method name. */
  method: string;
}

/** An argument in Gong's terms; each tool's schema decides its key and place (arg-map.ts). */
export interface LogicalArg {
  /** Gong's name, dotted for nesting: `filter.callIds`, `contentSelector.context`, `cursor`. */
  path: string;
  /** What the value is, for messages: "the call ids". */
  about: string;
  /** A call without it cannot do what the capability promises: no home in a tool's schema makes the tool unusable. */
  required?: boolean;
  /** Other names a tool may give it, e.g. `id` for a request-status `get` tool keyed by clientRequestId. */
  aliases?: string[];
}

/** Where a capability's records sit in an answer: Gong's body key, or the whole body as one record. */
export interface ItemRule<T> {
  /** The array in Gong's body (`calls`, `callTranscripts`…); absent for single-object answers. */
  key?: string;
  /** Gong answers one object (a status, a brief): the body itself is the record. */
  single?: boolean;
  /** Reshapes the raw records before validation (e.g. Gong's crmObjectsMap into records). */
  gather?: (raw: unknown[]) => unknown[];
  /** Validates and normalises one record. */
  schema: z.ZodType<T>;
}

export interface CapabilitySpec<T = unknown> {
  id: CapabilityId;
  /** Human label, e.g. "transcripts by call ids". */
  label: string;
  access: 'read' | 'write';
  /** The Gong scope it usually needs (gong-api.md §7). */
  scope: string;
  candidates: ToolCandidate[];
  args: LogicalArg[];
  items: ItemRule<T>;
}

/** The record type each capability's answers normalise to. */
export interface CapabilityItems {
  calls: CallBasicData;
  'call-by-id': CallBasicData;
  'call-details': CallData;
  transcripts: CallTranscript;
  users: UserMetadata;
  'user-by-id': UserMetadata;
  'users-extensive': UserMetadata;
  activity: UserAggregateActivity;
  coaching: CoachingData;
  scorecards: AnsweredScorecard;
  tasks: GongTask;
  'task-update': Record<string, unknown>;
  'crm-entities': CrmEntity;
  'crm-upload': Record<string, unknown>;
  'crm-status': CrmRequestStatus;
  'crm-integrations': CrmIntegration;
  brief: GetBriefResponse;
  workspaces: Workspace;
}
export type CapabilityId = keyof CapabilityItems;
