/** /v2/users, /v2/users/{id}, /v2/users/extensive and /v2/workspaces. */
import type { AccountData, WorldUser } from '../world/types.ts';
import { inputsHash, paginate } from './cursor.ts';
import { bodyObject, isoSeconds, notFound, ok, optionalIdList, parseDateTime, queryOne, type Handler } from './http.ts';

/** Gong's documented page size for user lists. */
export const USERS_PAGE_SIZE = 100;

export function userMetadata(user: WorldUser): Record<string, unknown> {
  return {
    id: user.id,
    emailAddress: user.emailAddress,
    created: isoSeconds(user.createdMs),
    active: true,
    emailAliases: [],
    trustedEmailAddress: user.emailAddress,
    firstName: user.firstName,
    lastName: user.lastName,
    title: user.title,
    phoneNumber: user.phoneNumber,
    personalMeetingUrls: [`https://zoom.us/j/${user.id.slice(0, 10)}`],
    settings: {
      webConferencesRecorded: true,
      preventWebConferenceRecording: false,
      telephonyCallsImported: false,
      emailsImported: true,
      preventEmailImport: false,
      nonRecordedMeetingsImported: true,
      gongConnectEnabled: true,
    },
    ...(user.managerId ? { managerId: user.managerId } : {}),
    spokenLanguages: [{ language: 'en-US', primary: true }],
    conferencingProviders: [{ provider: 'zoom', isDefault: true }],
  };
}

export function coachingUser(user: WorldUser): Record<string, unknown> {
  return { id: user.id, emailAddress: user.emailAddress, firstName: user.firstName, lastName: user.lastName, title: user.title };
}

export function findUser(account: AccountData, id: string): WorldUser | undefined {
  return account.users.find((u) => u.id === id);
}

export const listUsers: Handler = (ctx) => {
  const hash = inputsHash(`${ctx.account.key} GET /v2/users`, { ...ctx.req.query, cursor: undefined });
  const page = paginate(ctx.account.users, queryOne(ctx.req, 'cursor'), hash, USERS_PAGE_SIZE);
  return ok(ctx, { records: page.records, users: page.items.map(userMetadata) });
};

export const getUser: Handler = (ctx) => {
  const user = findUser(ctx.account, ctx.params['id'] ?? '');
  if (!user) throw notFound('User not found');
  return ok(ctx, { user: userMetadata(user) });
};

export const usersExtensive: Handler = (ctx) => {
  const body = bodyObject(ctx.req);
  const filter = (body['filter'] && typeof body['filter'] === 'object' ? body['filter'] : {}) as Record<string, unknown>;
  const fromMs = parseDateTime(filter['createdFromDateTime'], 'filter.createdFromDateTime');
  const toMs = parseDateTime(filter['createdToDateTime'], 'filter.createdToDateTime');
  const ids = optionalIdList(filter, 'userIds');
  const idSet = ids ? new Set(ids) : undefined;
  const users = ctx.account.users.filter((u) =>
    (fromMs === undefined || u.createdMs >= fromMs) && (toMs === undefined || u.createdMs < toMs) && (!idSet || idSet.has(u.id)));
  if (users.length === 0) throw notFound('No users found corresponding to the provided filters');
  const hash = inputsHash(`${ctx.account.key} POST /v2/users/extensive`, { filter });
  const page = paginate(users, body['cursor'], hash, USERS_PAGE_SIZE);
  return ok(ctx, { records: page.records, users: page.items.map(userMetadata) });
};

export const listWorkspaces: Handler = (ctx) =>
  ok(ctx, {
    workspaces: [{ id: ctx.account.workspaceId, name: ctx.account.workspaceName, description: `Main workspace of ${ctx.account.info.companyName}` }],
  });
