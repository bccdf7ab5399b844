import { DEMO_PEOPLE, type DemoPerson } from '../../shared/demoOrg.js';

export type UserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'SUSPENDED' | 'DEPROVISIONED';
export type GroupType = 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';

export interface SandboxUser {
  id: string;
  status: UserStatus;
  created: string;
  activated: string;
  statusChanged: string;
  lastLogin: string;
  lastUpdated: string;
  passwordChanged: string;
  profile: { login: string; email: string; firstName: string; lastName: string; title: string; department: string; mobilePhone?: string };
  /** Okta admin role (SUPER_ADMIN in the sandbox): may manage other users with a user-context token. */
  admin: boolean;
}

export interface SandboxGroup {
  id: string;
  type: GroupType;
  name: string;
  description: string;
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  members: Set<string>;
}

export interface SandboxApp {
  id: string;
  name: string;
  label: string;
  signOnMode: 'SAML_2_0' | 'OPENID_CONNECT' | 'BOOKMARK';
  created: string;
  groupIds: Set<string>;
  /** Direct (scope USER) assignments: user id → assignment id and time. */
  users: Map<string, { assignmentId: string; created: string }>;
}

export interface SandboxFactor {
  id: string;
  factorType: 'push' | 'sms' | 'token:software:totp' | 'question';
  provider: 'OKTA' | 'GOOGLE';
  vendorName: string;
  created: string;
  profile: Record<string, string>;
}

/** One System Log style record per side effect, so tests count what really happened. */
export interface SandboxEvent {
  readonly type: string;
  readonly targetId: string;
  readonly actorId: string;
  readonly at: string;
}

export interface AccessTokenRecord {
  userId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshTokenRecord {
  userId: string;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

export interface AuthCodeRecord {
  userId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string;
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

/** Everything the sandbox knows, per instance. */
export class OktaSandboxState {
  readonly users = new Map<string, SandboxUser>();
  readonly groups = new Map<string, SandboxGroup>();
  readonly apps = new Map<string, SandboxApp>();
  readonly factors = new Map<string, SandboxFactor[]>();
  readonly events: SandboxEvent[] = [];
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  /** SSWS API tokens: token → id of the admin who created it (what `/users/me` returns for it). */
  readonly apiTokens = new Map<string, string>();
  /** Per-minute request counts per endpoint, for X-Rate-Limit-* and real 429s. */
  readonly rateWindows = new Map<string, { windowStart: number; count: number }>();

  userByLogin(login: string): SandboxUser | undefined {
    const wanted = login.toLowerCase();
    for (const user of this.users.values()) if (user.profile.login.toLowerCase() === wanted) return user;
    return undefined;
  }

  /** `{id}` accepts an id, a login, or an unambiguous login short name, like Okta's. */
  resolveUser(ref: string): SandboxUser | undefined {
    const byId = this.users.get(ref) ?? this.userByLogin(ref);
    if (byId) return byId;
    const short = [...this.users.values()].filter((u) => u.profile.login.split('@')[0]?.toLowerCase() === ref.toLowerCase());
    return short.length === 1 ? short[0] : undefined;
  }

  groupsOf(userId: string): SandboxGroup[] {
    return [...this.groups.values()].filter((g) => g.members.has(userId));
  }

  /** Apps reachable by the user, directly or through a group, with the scope Okta reports. */
  appsOf(userId: string): { app: SandboxApp; scope: 'USER' | 'GROUP'; assignmentId: string; created: string }[] {
    const result: { app: SandboxApp; scope: 'USER' | 'GROUP'; assignmentId: string; created: string }[] = [];
    const groupIds = new Set(this.groupsOf(userId).map((g) => g.id));
    for (const app of this.apps.values()) {
      const direct = app.users.get(userId);
      if (direct) result.push({ app, scope: 'USER', ...direct });
      else if ([...app.groupIds].some((id) => groupIds.has(id))) result.push({ app, scope: 'GROUP', assignmentId: `0ua${app.id.slice(3, 10)}${userId.slice(3, 13)}`, created: app.created });
    }
    return result;
  }

  /** Count of recorded side effects of one type for one user. */
  count(type: string, userId?: string): number {
    return this.events.filter((e) => e.type === type && (userId === undefined || e.targetId === userId)).length;
  }

  record(type: string, targetId: string, actorId: string, now: Date): void {
    this.events.push({ type, targetId, actorId, at: now.toISOString() });
  }
}

export interface SeedPerson extends Pick<DemoPerson, 'email' | 'firstName' | 'lastName' | 'title' | 'department' | 'oktaAdmin'> {
  readonly key: string;
}

export const SERVICE_ACCOUNT: SeedPerson = {
  key: 'svc', email: 'svc.switchboard@acme.test', firstName: 'Switchboard', lastName: 'Service', title: 'Service account', department: 'IT Operations', oktaAdmin: true,
};

export const SEED_PEOPLE: readonly SeedPerson[] = [...DEMO_PEOPLE, SERVICE_ACCOUNT];
