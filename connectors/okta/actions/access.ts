import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import type { OktaClient } from '../client.js';
import { OktaApiError, OktaGroupNotManageableError, OktaLookupError } from '../errors.js';
import { quoteData, sentence } from '../../shared/summary.js';
import { oktaAppSchema, oktaAppUserSchema, oktaGroupSchema, type OktaApp, type OktaGroup } from '../schemas.js';
import { clientFor, requesterOktaId, type OktaToolDeps } from './common.js';

export const groupRequestInputSchema = z.object({
  group: z.string().trim().min(1).max(255).describe('Name of the Okta group to join, e.g. "VPN Users"'),
  justification: z.string().trim().max(1000).optional().describe('Why you need it; shown to the approver'),
}).strict();
export type GroupRequestInput = z.infer<typeof groupRequestInputSchema>;

export const appRequestInputSchema = z.object({
  app: z.string().trim().min(1).max(255).describe('Name (label) of the Okta app, e.g. "Salesforce"'),
  justification: z.string().trim().max(1000).optional().describe('Why you need it; shown to the approver'),
}).strict();
export type AppRequestInput = z.infer<typeof appRequestInputSchema>;

export const groupRequestOutputSchema = z.object({ groupId: z.string(), groupName: z.string(), userId: z.string(), changed: z.boolean() });
export type GroupRequestOutput = z.infer<typeof groupRequestOutputSchema>;

export const appRequestOutputSchema = z.object({ appId: z.string(), label: z.string(), userId: z.string(), scope: z.string(), changed: z.boolean() });
export type AppRequestOutput = z.infer<typeof appRequestOutputSchema>;

export function requestGroupMembershipTool(deps: OktaToolDeps): ToolDefinition<GroupRequestInput, GroupRequestOutput> {
  return defineTool<GroupRequestInput, GroupRequestOutput>({
    name: 'request_group_membership',
    description: 'Add yourself to an Okta group (for example "VPN Users") after an approver agrees.',
    input: groupRequestInputSchema,
    output: groupRequestOutputSchema,
    risk: 'high',
    // Okta's membership PUT is idempotent by itself: adding a member twice leaves one membership.
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: (args) => `Add you to the Okta group "${args.group}"${args.justification ? ` (reason: ${args.justification})` : ''}`,
    summarize: (out) => out.changed
      ? sentence(`You are now a member of the Okta group ${quoteData(out.groupName, 60)}`)
      : sentence(`You were already a member of the Okta group ${quoteData(out.groupName, 60)}, so nothing changed`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const group = await findGroup(client, args.group);
      if (group.type && group.type !== 'OKTA_GROUP') throw new OktaGroupNotManageableError(group.profile.name, group.type);
      const already = await isMember(client, userId, group.id);
      if (!already) {
        await client.request({ method: 'PUT', path: `/api/v1/groups/${encodeURIComponent(group.id)}/users/${encodeURIComponent(userId)}`, auth: 'service', idempotent: true });
      }
      return { groupId: group.id, groupName: group.profile.name, userId, changed: !already };
    },
    async reconcile(ctx, args) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const group = await findGroup(client, args.group);
      return (await isMember(client, userId, group.id))
        ? { status: 'applied', output: { groupId: group.id, groupName: group.profile.name, userId, changed: true } }
        : { status: 'not_applied' };
    },
  });
}

export function requestAppAccessTool(deps: OktaToolDeps): ToolDefinition<AppRequestInput, AppRequestOutput> {
  return defineTool<AppRequestInput, AppRequestOutput>({
    name: 'request_app_access',
    description: 'Get an Okta app (for example "Salesforce" or "GitHub") assigned to you after an approver agrees.',
    input: appRequestInputSchema,
    output: appRequestOutputSchema,
    risk: 'high',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: (args) => `Assign the Okta app "${args.app}" to you${args.justification ? ` (reason: ${args.justification})` : ''}`,
    summarize: (out) => {
      const app = quoteData(out.label, 60);
      if (out.changed) return sentence(`Okta assigned the app ${app} to you`);
      return out.scope === 'GROUP'
        ? sentence(`You already have the Okta app ${app} through one of your groups, so nothing changed`)
        : sentence(`The Okta app ${app} was already assigned to you, so nothing changed`);
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const app = await findApp(client, args.app);
      const existing = await appAssignment(client, app.id, userId);
      if (existing) return { appId: app.id, label: app.label, userId, scope: existing.scope ?? 'USER', changed: false };
      // The assignment POST is not documented as idempotent, so it is never retried blindly; the read above is the guard.
      const { data } = await client.request({
        method: 'POST',
        path: `/api/v1/apps/${encodeURIComponent(app.id)}/users`,
        body: { id: userId, scope: 'USER' },
        auth: 'service',
        schema: oktaAppUserSchema,
        idempotent: false,
      });
      return { appId: app.id, label: app.label, userId, scope: data.scope ?? 'USER', changed: true };
    },
    async reconcile(ctx, args) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const app = await findApp(client, args.app);
      const existing = await appAssignment(client, app.id, userId);
      return existing
        ? { status: 'applied', output: { appId: app.id, label: app.label, userId, scope: existing.scope ?? 'USER', changed: true } }
        : { status: 'not_applied' };
    },
  });
}

/** Exact name first (case-insensitive), then a unique prefix; several candidates are the employee's call. */
function pick<T>(items: readonly T[], name: string, nameOf: (item: T) => string, kind: 'group' | 'app'): T {
  const wanted = name.toLowerCase();
  const exact = items.filter((i) => nameOf(i).toLowerCase() === wanted);
  if (exact.length === 1 && exact[0]) return exact[0];
  const candidates = exact.length > 1 ? exact : items.filter((i) => nameOf(i).toLowerCase().startsWith(wanted));
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  throw new OktaLookupError(kind, name, candidates.map(nameOf).slice(0, 5));
}

async function findGroup(client: OktaClient, name: string): Promise<OktaGroup> {
  const { data } = await client.request({ method: 'GET', path: '/api/v1/groups', query: { q: name, limit: 20 }, auth: 'service', schema: z.array(oktaGroupSchema) });
  return pick(data, name, (g) => g.profile.name, 'group');
}

async function isMember(client: OktaClient, userId: string, groupId: string): Promise<boolean> {
  const groups = await client.paginate({ method: 'GET', path: `/api/v1/users/${encodeURIComponent(userId)}/groups`, auth: 'service', schema: z.array(oktaGroupSchema) });
  return groups.some((g) => g.id === groupId);
}

async function findApp(client: OktaClient, name: string): Promise<OktaApp> {
  const { data } = await client.request({ method: 'GET', path: '/api/v1/apps', query: { q: name, limit: 20 }, auth: 'service', schema: z.array(oktaAppSchema) });
  return pick(data.filter((a) => a.status !== 'INACTIVE'), name, (a) => a.label, 'app');
}

async function appAssignment(client: OktaClient, appId: string, userId: string): Promise<z.infer<typeof oktaAppUserSchema> | undefined> {
  try {
    const { data } = await client.request({ method: 'GET', path: `/api/v1/apps/${encodeURIComponent(appId)}/users/${encodeURIComponent(userId)}`, auth: 'service', schema: oktaAppUserSchema });
    return data;
  } catch (error) {
    if (error instanceof OktaApiError && error.status === 404) return undefined;
    throw error;
  }
}
