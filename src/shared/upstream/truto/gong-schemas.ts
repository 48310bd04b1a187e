/**
 * zod schemas for the Gong bodies the workflows read (shapes from Gong's OpenAPI spec, see
 * /work/shared/reference/gong-api.md). Loose objects throughout: Gong adds fields without notice.
 * Optional fields are `nullish` because Gong sends `null` as often as it omits a field.
 */
import { z } from 'zod';

/**
 * Gong ids are numeric strings, except scorecards, tasks and CRM integrations, which send int64 JSON
 * numbers (the client parses those beyond 2^53 as strings). Either way the fleet keeps strings.
 */
export const GongId = z.union([z.string(), z.number().int()]).transform((v) => String(v));

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();

/** Gong's page info; `cursor` only while more pages remain. */
export const GongRecords = z.looseObject({
  totalRecords: num,
  currentPageSize: num,
  currentPageNumber: num,
  cursor: z.string().optional(),
});

const GongBase = { requestId: str, records: GongRecords.optional() };

export const CallBasicData = z.looseObject({
  id: GongId,
  url: str,
  title: str,
  scheduled: str,
  started: str,
  /** Seconds. */
  duration: num,
  primaryUserId: GongId.nullish(),
  /** Inbound | Outbound | Conference | Unknown. */
  direction: str,
  system: str,
  /** Internal | External | Unknown. */
  scope: str,
  /** Video | Audio. */
  media: str,
  /** ISO-639-2B, e.g. `eng`. */
  language: str,
  workspaceId: GongId.nullish(),
  sdrDisposition: str,
  clientUniqueId: str,
  customData: str,
  purpose: str,
  meetingUrl: str,
  isPrivate: bool,
  calendarEventId: str,
});
export type CallBasicData = z.infer<typeof CallBasicData>;

/** `GET /v2/calls`. */
export const CallsResponse = z.looseObject({ ...GongBase, calls: z.array(CallBasicData) });

const ContextObject = z.looseObject({
  objectType: str,
  objectId: GongId.nullish(),
  fields: z.array(z.looseObject({ name: z.string(), value: z.unknown() })).nullish(),
  timing: str,
});
/** CRM links of a call or party: `{system, objects}`. */
export const CallContext = z.looseObject({ system: str, objects: z.array(ContextObject).nullish() });

export const Party = z.looseObject({
  id: GongId.nullish(),
  emailAddress: str,
  name: str,
  title: str,
  userId: GongId.nullish(),
  /** Joins to the transcript's `speakerId`. */
  speakerId: GongId.nullish(),
  /** Internal | External | Unknown. */
  affiliation: str,
  phoneNumber: str,
  methods: z.array(z.string()).nullish(),
  context: z.array(CallContext).nullish(),
});
export type Party = z.infer<typeof Party>;

/** One call of `POST /v2/calls/extensive`; sections present only when requested. */
export const CallData = z.looseObject({
  metaData: CallBasicData,
  context: z.array(CallContext).nullish(),
  parties: z.array(Party).nullish(),
  content: z.looseObject({}).nullish(),
  interaction: z.looseObject({}).nullish(),
  collaboration: z.looseObject({}).nullish(),
  media: z.looseObject({ audioUrl: str, videoUrl: str }).nullish(),
});
export type CallData = z.infer<typeof CallData>;

export const CallsExtensiveResponse = z.looseObject({ ...GongBase, calls: z.array(CallData) });

/** `start`/`end` are milliseconds from the start of the call. */
export const TranscriptSentence = z.looseObject({ start: z.number(), end: z.number(), text: z.string() });
export const Monologue = z.looseObject({
  speakerId: GongId.nullish(),
  topic: str,
  sentences: z.array(TranscriptSentence),
});
export const CallTranscript = z.looseObject({ callId: GongId, transcript: z.array(Monologue) });
export type CallTranscript = z.infer<typeof CallTranscript>;

/** `POST /v2/calls/transcript`. */
export const CallTranscriptsResponse = z.looseObject({ ...GongBase, callTranscripts: z.array(CallTranscript) });

export const UserMetadata = z.looseObject({
  id: GongId,
  emailAddress: str,
  created: str,
  active: bool,
  firstName: str,
  lastName: str,
  title: str,
  phoneNumber: str,
  managerId: GongId.nullish(),
  emailAliases: z.array(z.string()).nullish(),
  settings: z.looseObject({}).nullish(),
});
export type UserMetadata = z.infer<typeof UserMetadata>;

/** `GET /v2/users` and `POST /v2/users/extensive`. */
export const UsersResponse = z.looseObject({ ...GongBase, users: z.array(UserMetadata) });

/** One period's counters. There is no `callsListenedTo`: it is split into own and others'. */
export const AggregateActivityWithDates = z.looseObject({
  callsAsHost: num,
  callsGaveFeedback: num,
  callsRequestedFeedback: num,
  callsReceivedFeedback: num,
  ownCallsListenedTo: num,
  othersCallsListenedTo: num,
  callsSharedInternally: num,
  callsSharedExternally: num,
  callsScorecardsFilled: num,
  callsScorecardsReceived: num,
  callsAttended: num,
  callsCommentsGiven: num,
  callsCommentsReceived: num,
  callsMarkedAsFeedbackGiven: num,
  callsMarkedAsFeedbackReceived: num,
  fromDate: str,
  toDate: str,
});
export const UserAggregateActivity = z.looseObject({
  userId: GongId,
  userEmailAddress: str,
  userAggregateActivity: z.array(AggregateActivityWithDates),
});
export type UserAggregateActivity = z.infer<typeof UserAggregateActivity>;

/** `POST /v2/stats/activity/aggregate-by-period`. */
export const AggregateByPeriodResponse = z.looseObject({
  ...GongBase,
  usersAggregateActivity: z.array(UserAggregateActivity),
});

const CoachingUser = z.looseObject({ id: GongId, emailAddress: str, firstName: str, lastName: str, title: str });
/** A manager and the metrics of each direct report; metric values are call-id lists. */
export const CoachingData = z.looseObject({
  manager: CoachingUser,
  directReportsMetrics: z.array(
    z.looseObject({ report: CoachingUser, metrics: z.record(z.string(), z.array(z.string())).nullish() }),
  ),
});
export type CoachingData = z.infer<typeof CoachingData>;

/** `GET /v2/coaching` (not paginated). */
export const CoachingResponse = z.looseObject({ requestId: str, coachingData: z.array(CoachingData) });

export const ScorecardAnswer = z.looseObject({
  questionId: GongId,
  questionRevisionId: GongId.nullish(),
  isOverall: bool,
  /** 1..50, or null when not scored. */
  score: num,
  answerText: str,
  notApplicable: bool,
  selectedOptions: z.array(z.string()).nullish(),
});
export const AnsweredScorecard = z.looseObject({
  answeredScorecardId: GongId,
  scorecardId: GongId,
  scorecardName: str,
  callId: GongId,
  callStartTime: str,
  reviewedUserId: GongId,
  reviewerUserId: GongId.nullish(),
  editorUserId: GongId.nullish(),
  reviewMethod: str,
  reviewTime: str,
  visibilityType: str,
  answers: z.array(ScorecardAnswer).nullish(),
});
export type AnsweredScorecard = z.infer<typeof AnsweredScorecard>;

/** `POST /v2/stats/activity/scorecards`. */
export const AnsweredScorecardsResponse = z.looseObject({ ...GongBase, answeredScorecards: z.array(AnsweredScorecard) });

export const GongTask = z.looseObject({
  id: GongId,
  userId: GongId,
  created: str,
  updated: str,
  /** OPEN | DONE | DISMISSED. */
  status: z.string(),
  /** FLOW | MANUAL. */
  type: str,
  actions: z.array(z.string()).nullish(),
  dueDate: str,
  title: str,
  priority: z.looseObject({ id: GongId.nullish(), name: str, weight: num }).nullish(),
  account: z.looseObject({ crmId: str, name: str, crmUrl: str }).nullish(),
  opportunity: z.looseObject({ crmId: str, name: str, status: str, stage: str, amount: str }).nullish(),
  flow: z.looseObject({ id: GongId.nullish(), name: str }).nullish(),
  contact: z.looseObject({ crmId: str, type: str }).nullish(),
});
export type GongTask = z.infer<typeof GongTask>;

/** `POST /v2/tasks` (list, not paginated) and `PATCH /v2/tasks/{id}`. */
export const TasksResponse = z.looseObject({ requestId: str, crmType: str, tasks: z.array(GongTask) });

/** `POST /v2/crm/entities` answers 201 with this; processing is asynchronous. */
export const CrmUploadResponse = z.looseObject({ requestId: str, clientRequestId: z.string() });

/** `GET /v2/crm/request-status`; poll until DONE or FAILED. */
export const CrmRequestStatus = z.looseObject({
  requestId: str,
  status: z.enum(['PENDING', 'IN_PROGRESS', 'DONE', 'FAILED']),
  /** At most 20; a general failure is one entry with line 0. */
  errors: z.array(z.looseObject({ line: z.number(), description: z.string() })).nullish(),
  totalErrorCount: num,
  totalSuccessCount: num,
});
export type CrmRequestStatus = z.infer<typeof CrmRequestStatus>;

const BriefCall = z.looseObject({ id: GongId, title: str, started: str, url: str });
export const BriefSection = z.looseObject({
  title: str,
  sectionSummary: z.array(z.string()).nullish(),
  /** Conversations | Web | CrmOrGongData | McpConnection. */
  briefSectionType: str,
  conversationFindings: z
    .looseObject({
      callFindings: z.array(z.looseObject({ call: BriefCall })).nullish(),
      emailFindings: z.array(z.looseObject({})).nullish(),
    })
    .nullish(),
  webFindings: z.array(z.looseObject({ domain: str, title: str, url: str })).nullish(),
});

/** `GET /v2/entities/get-brief` (costs Gong credits; may answer 402). */
export const GetBriefResponse = z.looseObject({
  requestId: str,
  numOfCallsSearched: num,
  numOfEmailsSearched: num,
  briefSections: z.array(BriefSection),
});
export type GetBriefResponse = z.infer<typeof GetBriefResponse>;

/** `GET /v2/workspaces`. */
export const Workspace = z.looseObject({ id: GongId, name: str, description: str });
export type Workspace = z.infer<typeof Workspace>;

/** `GET /v2/crm/integrations` (one generic integration per company); the id is an int64 number. */
export const CrmIntegration = z.looseObject({ integrationId: GongId, name: str, ownerEmail: str });
export type CrmIntegration = z.infer<typeof CrmIntegration>;

/**
 * One record of `GET /v2/crm/entities`: Gong answers a map crmId → fields (null when unknown);
 * the fleet carries each found record with its id as `objectId` (Truto may already unwrap the map
 * into records keyed `crmId`). Fields vary by type: `name`, `accountId`, `stage`, `amount`…
 */
export const CrmEntity = z.looseObject({ objectId: GongId, name: str, accountId: z.union([z.string(), z.number()]).nullish() });
export type CrmEntity = z.infer<typeof CrmEntity>;
