import { z } from 'zod';
import type { OktaSandboxState, SandboxGroup, SandboxUser } from './state.js';

/**
 * Okta's outbound provisioning ("SCIM 2.0 Test App (OAuth Bearer Token)"), played by the sandbox so
 * the flow into Switchboard's /scim/v2 is visible offline. The request sequence follows Okta's SCIM
 * provisioning guide: look a user up by `userName eq`, then POST or PUT; deactivation is a
 * path-less PATCH `{ active: false }`; pushed groups are POSTed with their members, later changed
 * with PATCH `members` add/remove.
 */

const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SCIM_CONTENT = 'application/scim+json';

export const provisioningTargetSchema = z.object({
  /** The app's "SCIM connector base URL", e.g. `http://127.0.0.1:3000/scim/v2`. */
  baseUrl: z.string().url().max(2000).transform((u) => u.replace(/\/+$/, '')),
  token: z.string().min(16).max(512),
  /** Okta "Push Groups": these groups are pushed, and their members are the users in scope. */
  pushGroups: z.array(z.string().min(1).max(200)).max(100).default([]),
}).strict();
export type ProvisioningTarget = z.output<typeof provisioningTargetSchema>;

const resource = z.object({ id: z.string().min(1) }).passthrough();
const listResponse = z.object({ Resources: z.array(resource).default([]) }).passthrough();
const groupResource = z.object({ id: z.string().min(1), members: z.array(z.object({ value: z.string() }).passthrough()).default([]) }).passthrough();

export class ProvisioningError extends Error {
  readonly code = 'okta_sandbox.provisioning_failed';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

export interface PushSummary {
  created: number;
  updated: number;
  deactivated: number;
  groupsCreated: number;
  groupsUpdated: number;
}

/** Statuses Okta provisions as `active: true`; the rest (suspended, deactivated) as `active: false`. */
const INACTIVE: ReadonlySet<SandboxUser['status']> = new Set(['SUSPENDED', 'DEPROVISIONED']);

export interface SentRequest {
  readonly method: string;
  /** Path and query below the base URL, e.g. `/Users?filter=…`. */
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
}

export class ScimPushClient {
  /** What was sent to the app (newest last, the last 500), for the sandbox's record view and tests. */
  readonly sent: SentRequest[] = [];
  private target: ProvisioningTarget | undefined;
  /** Okta's app user link: sandbox user id → SCIM id (kept so deactivations still reach them). */
  private readonly linked = new Map<string, string>();
  /** Serialises pushes, as Okta processes one app's provisioning tasks in order. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly state: OktaSandboxState, private readonly fetchImpl: typeof fetch = fetch) {}

  configure(target: z.input<typeof provisioningTargetSchema>): ProvisioningTarget {
    this.target = provisioningTargetSchema.parse(target);
    this.linked.clear();
    return this.target;
  }

  get configured(): boolean {
    return this.target !== undefined;
  }

  /** Everyone in scope, then the pushed groups; users who left scope or Okta are deactivated. */
  push(): Promise<PushSummary> {
    const run = this.queue.then(() => this.pushNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async pushNow(): Promise<PushSummary> {
    const target = this.target;
    if (!target) throw new ProvisioningError('No provisioning target is configured for the Okta sandbox.');
    const summary: PushSummary = { created: 0, updated: 0, deactivated: 0, groupsCreated: 0, groupsUpdated: 0 };
    const groups = target.pushGroups.flatMap((name) => this.groupNamed(name) ?? []);
    const inScope = new Map<string, SandboxUser>();
    for (const group of groups) for (const id of group.members) {
      const user = this.state.users.get(id);
      if (user) inScope.set(user.id, user);
    }
    for (const user of inScope.values()) {
      if (INACTIVE.has(user.status)) continue;
      const outcome = await this.upsertUser(target, user);
      summary[outcome] += 1;
    }
    for (const [userId, scimId] of this.linked) {
      const user = this.state.users.get(userId);
      if (user && inScope.has(userId) && !INACTIVE.has(user.status)) continue;
      await this.deactivate(target, scimId);
      this.linked.delete(userId);
      summary.deactivated += 1;
    }
    for (const group of groups) {
      const outcome = await this.pushGroup(target, group);
      if (outcome === 'created') summary.groupsCreated += 1;
      else summary.groupsUpdated += 1;
    }
    return summary;
  }

  /** A push group the sandbox does not have yet is pushed once an admin creates it. */
  private groupNamed(name: string): SandboxGroup | undefined {
    return [...this.state.groups.values()].find((g) => g.name.toLowerCase() === name.toLowerCase());
  }

  private async upsertUser(target: ProvisioningTarget, user: SandboxUser): Promise<'created' | 'updated'> {
    const { profile } = user;
    const document = {
      schemas: [USER_URN, ENTERPRISE_URN],
      userName: profile.login,
      name: { givenName: profile.firstName, familyName: profile.lastName },
      displayName: `${profile.firstName} ${profile.lastName}`,
      emails: [{ primary: true, value: profile.email, type: 'work' }],
      title: profile.title,
      active: true,
      [ENTERPRISE_URN]: { department: profile.department },
    };
    const found = listResponse.parse(await this.call(target, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${profile.login}"`)}&startIndex=1&count=100`));
    const existing = found.Resources[0];
    if (existing) {
      await this.call(target, 'PUT', `/Users/${encodeURIComponent(existing.id)}`, { ...document, id: existing.id });
      this.linked.set(user.id, existing.id);
      return 'updated';
    }
    const created = resource.parse(await this.call(target, 'POST', '/Users', document));
    this.linked.set(user.id, created.id);
    return 'created';
  }

  private async deactivate(target: ProvisioningTarget, scimId: string): Promise<void> {
    await this.call(target, 'PATCH', `/Users/${encodeURIComponent(scimId)}`, { schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active: false } }] });
  }

  private async pushGroup(target: ProvisioningTarget, group: SandboxGroup): Promise<'created' | 'updated'> {
    const wanted = [...group.members].flatMap((id) => {
      const scimId = this.linked.get(id);
      const user = this.state.users.get(id);
      return scimId && user ? [{ value: scimId, display: user.profile.login }] : [];
    });
    const found = listResponse.parse(await this.call(target, 'GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${group.name}"`)}&startIndex=1&count=100`));
    const existing = found.Resources[0];
    if (!existing) {
      await this.call(target, 'POST', '/Groups', { schemas: [GROUP_URN], displayName: group.name, members: wanted });
      return 'created';
    }
    const current = groupResource.parse(await this.call(target, 'GET', `/Groups/${encodeURIComponent(existing.id)}`));
    const have = new Set(current.members.map((m) => m.value));
    const want = new Set(wanted.map((m) => m.value));
    const operations = [
      ...[...have].filter((id) => !want.has(id)).map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
      ...(wanted.some((m) => !have.has(m.value)) ? [{ op: 'add', path: 'members', value: wanted.filter((m) => !have.has(m.value)) }] : []),
    ];
    if (operations.length > 0) await this.call(target, 'PATCH', `/Groups/${encodeURIComponent(existing.id)}`, { schemas: [PATCH_URN], Operations: operations });
    return 'updated';
  }

  private async call(target: ProvisioningTarget, method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.fetchImpl(`${target.baseUrl}${path}`, {
      method,
      headers: { accept: SCIM_CONTENT, authorization: `Bearer ${target.token}`, ...(body === undefined ? {} : { 'content-type': SCIM_CONTENT }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    this.sent.push({ method, path, ...(body === undefined ? {} : { body }), status: response.status });
    if (this.sent.length > 500) this.sent.splice(0, this.sent.length - 500);
    if (!response.ok) throw new ProvisioningError(`${method} ${path} was answered ${response.status}: ${text.slice(0, 300)}`, response.status);
    try {
      return text ? (JSON.parse(text) as unknown) : {};
    } catch {
      throw new ProvisioningError(`${method} ${path} did not answer JSON.`, response.status);
    }
  }
}
