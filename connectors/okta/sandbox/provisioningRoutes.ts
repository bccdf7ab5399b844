import { z } from 'zod';
import type { SandboxServer } from '../../shared/sandboxServer.js';
import type { SandboxContext } from './context.js';
import { userJson } from './responses.js';
import { provisioningTargetSchema, ProvisioningError, type ScimPushClient } from './scimPush.js';
import type { SandboxUser } from './state.js';

const newPersonSchema = z.object({
  login: z.string().email().max(200),
  firstName: z.string().min(1).max(100),
  lastName: z.string().min(1).max(100),
  title: z.string().max(200).default(''),
  department: z.string().max(200).default(''),
  /** Groups to put the person in; a group that does not exist yet is created (an Okta group). */
  groups: z.array(z.string().min(1).max(200)).max(50).default([]),
}).strict();

function invalid(error: z.ZodError): { status: number; body: { error: string } } {
  return { status: 400, body: { error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } };
}

/**
 * The sandbox admin surface for provisioning (only where /__sandbox is enabled): configure the
 * app's SCIM target, push now, and create a person the way an Okta admin would in the console.
 */
export function registerProvisioningRoutes(server: SandboxServer, ctx: SandboxContext, client: ScimPushClient): void {
  const { state } = ctx;

  server.route('PUT', '/__sandbox/provisioning', (req) => {
    const parsed = provisioningTargetSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const target = client.configure(parsed.data);
    return { status: 200, body: { baseUrl: target.baseUrl, pushGroups: target.pushGroups } };
  });

  server.route('POST', '/__sandbox/provisioning/push', async () => {
    if (!client.configured) return { status: 409, body: { error: 'No provisioning target is configured: PUT /__sandbox/provisioning first (or start with SANDBOX_SCIM_PUSH=true).' } };
    try {
      return { status: 200, body: await client.push() };
    } catch (error) {
      if (error instanceof ProvisioningError) return { status: 502, body: { error: error.message, code: error.code } };
      throw error;
    }
  });

  server.route('POST', '/__sandbox/users', (req) => {
    const parsed = newPersonSchema.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(parsed.error);
    const person = parsed.data;
    if (state.userByLogin(person.login)) return { status: 409, body: { error: `${person.login} already exists in the Okta sandbox` } };
    const now = ctx.now().toISOString();
    const user: SandboxUser = {
      id: ctx.newId('00u'), status: 'ACTIVE', created: now, activated: now, statusChanged: now, lastLogin: now, lastUpdated: now, passwordChanged: now,
      profile: { login: person.login, email: person.login, firstName: person.firstName, lastName: person.lastName, title: person.title, department: person.department },
      admin: false,
    };
    state.users.set(user.id, user);
    state.record('user.lifecycle.create', user.id, user.id, ctx.now());
    for (const name of ['Everyone', ...person.groups]) {
      let group = [...state.groups.values()].find((g) => g.name.toLowerCase() === name.toLowerCase());
      if (!group) {
        group = { id: ctx.newId('00g'), type: 'OKTA_GROUP', name, description: '', created: now, lastUpdated: now, lastMembershipUpdated: now, members: new Set() };
        state.groups.set(group.id, group);
      }
      group.members.add(user.id);
      group.lastMembershipUpdated = now;
    }
    ctx.onDirectoryChange?.();
    return { status: 201, body: userJson(user, ctx.base()) };
  });
}
