import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/tool.js';
import { oktaAppLinkSchema, oktaGroupSchema } from '../schemas.js';
import { clientFor, noArgsSchema, type OktaToolDeps } from './common.js';

export const groupsOutputSchema = z.object({
  count: z.number().int(),
  groups: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional(), type: z.string().optional() })),
});
export type GroupsOutput = z.infer<typeof groupsOutputSchema>;

export const appsOutputSchema = z.object({
  count: z.number().int(),
  apps: z.array(z.object({ appId: z.string(), label: z.string(), appName: z.string().optional(), linkUrl: z.string() })),
});
export type AppsOutput = z.infer<typeof appsOutputSchema>;

export function listMyGroupsTool(deps: OktaToolDeps): ToolDefinition<Record<string, never>, GroupsOutput> {
  return defineTool({
    name: 'list_my_groups',
    description: 'List the Okta groups you belong to.',
    input: noArgsSchema as z.ZodType<Record<string, never>>,
    output: groupsOutputSchema,
    risk: 'read',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: () => 'List your Okta groups',
    async execute(ctx) {
      const groups = await clientFor(ctx, deps).paginate({ method: 'GET', path: '/api/v1/users/me/groups', auth: 'user', schema: z.array(oktaGroupSchema) });
      return {
        count: groups.length,
        groups: groups.map((g) => ({
          id: g.id,
          name: g.profile.name,
          ...(g.profile.description ? { description: g.profile.description } : {}),
          ...(g.type ? { type: g.type } : {}),
        })),
      };
    },
  });
}

export function listMyAppsTool(deps: OktaToolDeps): ToolDefinition<Record<string, never>, AppsOutput> {
  return defineTool({
    name: 'list_my_apps',
    description: 'List the apps assigned to you in Okta (directly or through your groups), with their sign-in links.',
    input: noArgsSchema as z.ZodType<Record<string, never>>,
    output: appsOutputSchema,
    risk: 'read',
    idempotent: true,
    scopes: ['okta.users.read.self'],
    describe: () => 'List your Okta apps',
    async execute(ctx) {
      const links = await clientFor(ctx, deps).paginate({ method: 'GET', path: '/api/v1/users/me/appLinks', auth: 'user', schema: z.array(oktaAppLinkSchema) });
      const visible = links.filter((l) => !l.hidden);
      return {
        count: visible.length,
        apps: visible.map((l) => ({ appId: l.appInstanceId, label: l.label, ...(l.appName ? { appName: l.appName } : {}), linkUrl: l.linkUrl })),
      };
    },
  });
}
