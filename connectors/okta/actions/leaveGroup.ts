import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { quoteData, sentence } from '../../shared/summary.js';
import type { OktaClient } from '../client.js';
import { OktaGroupNotManageableError, OktaLookupError } from '../errors.js';
import { oktaGroupSchema, type OktaGroup } from '../schemas.js';
import { clientFor, requesterOktaId, type OktaToolDeps } from './common.js';

const input = z.object({
  group: z.string().trim().min(1).max(255).describe('Name of the Okta group to leave, e.g. "VPN Users"'),
}).strict();
type Input = z.infer<typeof input>;

const output = z.object({ groupId: z.string(), groupName: z.string(), userId: z.string(), changed: z.boolean().describe('False when you were not a member') });
type Output = z.infer<typeof output>;

async function myGroups(client: OktaClient, userId: string): Promise<OktaGroup[]> {
  return client.paginate({ method: 'GET', path: `/api/v1/users/${encodeURIComponent(userId)}/groups`, auth: 'service', schema: z.array(oktaGroupSchema) });
}

/** Among the requester's own groups: exact name first, then a unique prefix. */
function mine(groups: readonly OktaGroup[], name: string): OktaGroup | undefined {
  const wanted = name.toLowerCase();
  const exact = groups.filter((g) => g.profile.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0];
  const candidates = exact.length > 1 ? exact : groups.filter((g) => g.profile.name.toLowerCase().startsWith(wanted));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) throw new OktaLookupError('group', name, candidates.map((g) => g.profile.name).slice(0, 5));
  return undefined;
}

/**
 * Removes the requester (never anyone else: the user id comes from the linked account) from an Okta
 * group. Okta's membership API is an admin operation, so it runs on the service path; giving up
 * one's own access needs no approver. Membership is read first and the DELETE is idempotent.
 */
export function leaveGroupTool(deps: OktaToolDeps): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'leave_group',
    description: 'Remove yourself from an Okta group you belong to (you lose the access that group gives).',
    input,
    output,
    risk: 'write',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: (args) => `Remove you from the Okta group "${args.group}" (you lose the access it gives)`,
    summarize: (out) => out.changed
      ? sentence(`You are no longer a member of the Okta group ${quoteData(out.groupName, 60)}`)
      : sentence(`You were not a member of the Okta group ${quoteData(out.groupName, 60)}, so nothing changed`),
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const userId = await requesterOktaId(ctx, client);
      const group = mine(await myGroups(client, userId), args.group);
      if (!group) {
        const { data } = await client.request({ method: 'GET', path: '/api/v1/groups', query: { q: args.group, limit: 20 }, auth: 'service', schema: z.array(oktaGroupSchema) });
        const known = data.find((g) => g.profile.name.toLowerCase() === args.group.toLowerCase());
        if (!known) throw new OktaLookupError('group', args.group, []);
        return { groupId: known.id, groupName: known.profile.name, userId, changed: false };
      }
      if (group.type && group.type !== 'OKTA_GROUP') throw new OktaGroupNotManageableError(group.profile.name, group.type, 'remove');
      await client.request({ method: 'DELETE', path: `/api/v1/groups/${encodeURIComponent(group.id)}/users/${encodeURIComponent(userId)}`, auth: 'service', idempotent: true });
      return { groupId: group.id, groupName: group.profile.name, userId, changed: true };
    },
    // A read-back that could not run (Okta down, unknown group) does not know either way.
    async reconcile(ctx, args) {
      try {
        const client = clientFor(ctx, deps);
        const userId = await requesterOktaId(ctx, client);
        const { data } = await client.request({ method: 'GET', path: '/api/v1/groups', query: { q: args.group, limit: 20 }, auth: 'service', schema: z.array(oktaGroupSchema) });
        const group = data.find((g) => g.profile.name.toLowerCase() === args.group.toLowerCase());
        if (!group) return { status: 'unknown' };
        const still = (await myGroups(client, userId)).some((g) => g.id === group.id);
        return still ? { status: 'not_applied' } : { status: 'applied', output: { groupId: group.id, groupName: group.profile.name, userId, changed: true } };
      } catch {
        return { status: 'unknown' };
      }
    },
  });
}
