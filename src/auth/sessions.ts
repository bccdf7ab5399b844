import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { KeyValueStore } from '../infra/keyValue.js';
import { tenantKey } from '../infra/keys.js';

/** How the person proved who they are. */
export type SignInMethod = 'sso' | 'break_glass';

/** The signed-in person a request belongs to: one tenant, one user, their current roles. */
export interface SignedInPerson {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly via: SignInMethod;
  /** Double-submit token: state-changing requests echo it in `x-csrf-token`. */
  readonly csrfToken: string;
}

const storedSchema = z.object({
  tenantId: z.string(),
  userId: z.string(),
  email: z.string(),
  /** Roles granted by the sign-in itself (an IdP admin group), on top of the tenants file's. */
  grantedRoles: z.array(z.string()),
  via: z.enum(['sso', 'break_glass']),
  csrfToken: z.string(),
});
type StoredSession = z.infer<typeof storedSchema>;

export interface SessionsOptions {
  readonly kv: KeyValueStore;
  readonly prisma: PrismaClient;
  /** PUBLIC_URL is https: the cookie gets `Secure` and the `__Host-` prefix. */
  readonly secure: boolean;
  readonly ttlMs?: number;
}

/**
 * Browser sessions for the operations view and the playground, kept in the KeyValueStore (Redis when
 * configured) so every process sees them. The cookie names its tenant so the key is tenant-scoped;
 * the user's roles are read from the users table on every lookup, so a person removed from the
 * tenants file or stripped of a role loses it at once.
 */
export class Sessions {
  readonly cookieName: string;
  private readonly ttlMs: number;

  constructor(private readonly options: SessionsOptions) {
    this.cookieName = options.secure ? '__Host-sb_session' : 'sb_session';
    this.ttlMs = options.ttlMs ?? 8 * 60 * 60_000;
  }

  async create(session: Omit<StoredSession, 'csrfToken'>): Promise<string> {
    const secret = randomBytes(24).toString('base64url');
    const stored: StoredSession = { ...session, csrfToken: randomBytes(24).toString('base64url') };
    await this.options.kv.set(this.key(session.tenantId, secret), JSON.stringify(stored), { ttlMs: this.ttlMs });
    return `${session.tenantId}.${secret}`;
  }

  async find(req: IncomingMessage): Promise<SignedInPerson | null> {
    const parsed = this.parse(req);
    if (!parsed) return null;
    const raw = await this.options.kv.get(this.key(parsed.tenantId, parsed.secret));
    if (!raw) return null;
    const stored = storedSchema.safeParse(safeJson(raw));
    // The stored tenant must be the one the cookie names; anything else is a forged cookie.
    if (!stored.success || stored.data.tenantId !== parsed.tenantId) return null;
    const user = await this.options.prisma.user.findFirst({ where: { id: stored.data.userId, tenantId: stored.data.tenantId, deactivatedAt: null }, select: { email: true, roles: true } });
    if (!user || user.email.toLowerCase() !== stored.data.email.toLowerCase()) return null;
    const roles = [...new Set([...user.roles, ...stored.data.grantedRoles])];
    return { tenantId: stored.data.tenantId, userId: stored.data.userId, email: user.email, roles, via: stored.data.via, csrfToken: stored.data.csrfToken };
  }

  async destroy(req: IncomingMessage): Promise<void> {
    const parsed = this.parse(req);
    if (parsed) await this.options.kv.delete(this.key(parsed.tenantId, parsed.secret));
  }

  cookie(value: string): string {
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(this.ttlMs / 1000)}${this.options.secure ? '; Secure' : ''}`;
  }

  clearedCookie(): string {
    return `${this.cookieName}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${this.options.secure ? '; Secure' : ''}`;
  }

  private parse(req: IncomingMessage): { tenantId: string; secret: string } | null {
    const value = cookieValue(req, this.cookieName);
    const match = value ? /^([a-z0-9][a-z0-9-]{1,40})\.([A-Za-z0-9_-]{32})$/.exec(value) : null;
    return match ? { tenantId: match[1]!, secret: match[2]! } : null;
  }

  private key(tenantId: string, secret: string): string {
    // Stored hashed: a leaked key listing does not hand out live sessions.
    return tenantKey(tenantId, 'session', createHash('sha256').update(secret).digest('hex'));
  }
}

/** One cookie's value from the request, or undefined. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(`${name}=`)) return trimmed.slice(name.length + 1);
  }
  return undefined;
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
