import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { fit, plural, quoteData } from '../../shared/summary.js';
import { oktaAppLinkSchema, oktaAppSchema, oktaGroupSchema } from '../schemas.js';
import { clientFor, type OktaToolDeps } from './common.js';

const input = z.object({
  kind: z.enum(['groups', 'apps', 'all']).default('all').describe('"groups", "apps" or "all" (default) to list what you can ask for'),
}).strict();
type Input = z.infer<typeof input>;

const output = z.object({
  count: z.number().int(),
  groups: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional() })),
  apps: z.array(z.object({ appId: z.string(), label: z.string() })),
});
type Output = z.infer<typeof output>;

/**
 * What the employee could ask for with request_group_membership / request_app_access: Okta-managed
 * groups they are not in, and active apps not assigned to them. Their own memberships and apps are
 * read with their token; the directory (an admin read in Okta) on the service path. Each request
 * still needs an approver.
 */
export function listRequestableTool(deps: OktaToolDeps): ToolDefinition<Input, Output> {
  return defineTool<Input, Output>({
    name: 'list_requestable',
    description: 'List the Okta groups and apps you do not have yet and could request (each request needs an approver).',
    input,
    output,
    risk: 'read',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: (args) => `List the Okta ${args.kind === 'all' ? 'groups and apps' : args.kind} you can request`,
    summarize: (out, args) => {
      const names = (items: readonly string[]): string => items.slice(0, 3).map((n) => quoteData(n, 30)).join(', ') + (items.length > 3 ? ', …' : '');
      const parts: string[] = [];
      if (args.kind !== 'apps') parts.push(out.groups.length > 0 ? `${plural(out.groups.length, 'group')} (${names(out.groups.map((g) => g.name))})` : 'no groups');
      if (args.kind !== 'groups') parts.push(out.apps.length > 0 ? `${plural(out.apps.length, 'app')} (${names(out.apps.map((a) => a.label))})` : 'no apps');
      return fit(`You can request ${parts.join(' and ')} in Okta`, out.count > 0 ? '; each needs an approver' : undefined);
    },
    async execute(ctx, args) {
      const client = clientFor(ctx, deps);
      const groups: Output['groups'] = [];
      const apps: Output['apps'] = [];
      if (args.kind !== 'apps') {
        const mine = new Set((await client.paginate({ method: 'GET', path: '/api/v1/users/me/groups', auth: 'user', schema: z.array(oktaGroupSchema) })).map((g) => g.id));
        const all = await client.paginate({ method: 'GET', path: '/api/v1/groups', query: { limit: 200 }, auth: 'service', schema: z.array(oktaGroupSchema) });
        for (const g of all) {
          if (mine.has(g.id) || (g.type && g.type !== 'OKTA_GROUP')) continue;
          groups.push({ id: g.id, name: g.profile.name, ...(g.profile.description ? { description: g.profile.description } : {}) });
        }
      }
      if (args.kind !== 'groups') {
        const mine = new Set((await client.paginate({ method: 'GET', path: '/api/v1/users/me/appLinks', auth: 'user', schema: z.array(oktaAppLinkSchema) })).map((l) => l.appInstanceId));
        const all = await client.paginate({ method: 'GET', path: '/api/v1/apps', query: { limit: 200 }, auth: 'service', schema: z.array(oktaAppSchema) });
        for (const a of all) if (!mine.has(a.id) && a.status !== 'INACTIVE') apps.push({ appId: a.id, label: a.label });
      }
      groups.sort((a, b) => a.name.localeCompare(b.name));
      apps.sort((a, b) => a.label.localeCompare(b.label));
      return { count: groups.length + apps.length, groups, apps };
    },
  });
}
