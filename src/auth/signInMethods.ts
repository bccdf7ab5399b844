import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import { OidcProvider } from './oidc.js';
import { hashPassword, parsePasswordHash, type ParsedPasswordHash } from './passwordHash.js';

export interface SignInMethodsOptions {
  readonly tenants: readonly TenantConfig[];
  /** Where `clientSecretEnv` and `passwordHashEnv` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Okta sandbox's URL when it runs: `issuer: sandbox` resolves to it. */
  readonly sandboxIssuer: string | undefined;
  /** The sandbox IdP lets anyone pick who they are: only for the embedded demo. */
  readonly allowSandboxIdp: boolean;
  readonly publicUrl: string;
  readonly logger: Logger;
}

export interface BreakGlassAccount {
  readonly email: string;
  readonly hash: ParsedPasswordHash;
}

export const SSO_CALLBACK_PATH = '/auth/sso/callback';

/**
 * Which ways of signing in each tenant offers, resolved once at startup from the tenants file and
 * the environment. Misconfiguration (an unset hash variable, a sandbox IdP where it is not allowed)
 * turns that method off for the tenant and is logged, rather than half-working.
 */
export class SignInMethods {
  private readonly sso = new Map<string, { provider: OidcProvider; label: string; sandbox: boolean }>();
  private readonly breakGlass = new Map<string, BreakGlassAccount>();
  private decoyHash: Promise<ParsedPasswordHash> | undefined;

  constructor(options: SignInMethodsOptions) {
    for (const tenant of options.tenants) {
      const log = options.logger.child({ component: 'auth', tenantId: tenant.id });
      if (tenant.sso) {
        const sandbox = tenant.sso.issuer === 'sandbox';
        const issuer = sandbox ? options.sandboxIssuer : tenant.sso.issuer;
        if (sandbox && !options.allowSandboxIdp) log.warn('single sign-on against the sandbox IdP is off outside the embedded demo; configure the tenant\'s real issuer');
        else if (!issuer) log.warn('single sign-on is off: the sandbox IdP is not running');
        else {
          const secretEnv = tenant.sso.clientSecretEnv;
          const clientSecret = secretEnv ? options.env[secretEnv] || undefined : undefined;
          if (secretEnv && clientSecret === undefined) log.warn({ variable: secretEnv }, 'the SSO client secret variable is not set; signing in as a public client');
          const provider = new OidcProvider({ issuer, config: tenant.sso, clientSecret, redirectUri: `${options.publicUrl}${SSO_CALLBACK_PATH}`, allowHttp: sandbox });
          this.sso.set(tenant.id, { provider, label: tenant.sso.displayName ?? (sandbox ? 'Okta sandbox' : new URL(issuer).host), sandbox });
        }
      }
      if (tenant.breakGlass) {
        const raw = options.env[tenant.breakGlass.passwordHashEnv];
        const hash = raw ? parsePasswordHash(raw) : null;
        if (!raw) log.info({ variable: tenant.breakGlass.passwordHashEnv }, 'break-glass sign-in is off (its hash variable is not set)');
        else if (!hash) log.error({ variable: tenant.breakGlass.passwordHashEnv }, 'break-glass sign-in is off: the variable does not hold a hash from `npm run hash-password`');
        else this.breakGlass.set(tenant.id, { email: tenant.breakGlass.email.toLowerCase(), hash });
        const seed = tenant.users.find((u) => u.email.toLowerCase() === tenant.breakGlass!.email.toLowerCase());
        if (hash && !seed?.roles.includes('admin')) log.warn({ email: tenant.breakGlass.email }, 'the break-glass account is not a user with the admin role in the tenants file; it can sign in but not open the operations view');
      }
    }
  }

  ssoFor(tenantId: string): { provider: OidcProvider; label: string; sandbox: boolean } | undefined {
    return this.sso.get(tenantId);
  }

  breakGlassFor(tenantId: string): BreakGlassAccount | undefined {
    return this.breakGlass.get(tenantId);
  }

  /** A real hash to compare against when the account is unknown, so the answer time does not tell. */
  decoy(): Promise<ParsedPasswordHash> {
    this.decoyHash ??= hashPassword('decoy password never used').then((h) => parsePasswordHash(h)!);
    return this.decoyHash;
  }
}

/** Banner lines: how each tenant's administrators sign in to /ops. */
export function signInSummary(tenants: readonly TenantConfig[], methods: SignInMethods, admins: readonly { tenantId: string; email: string }[]): string[] {
  return tenants.map((tenant) => {
    const sso = methods.ssoFor(tenant.id);
    const breakGlass = methods.breakGlassFor(tenant.id);
    const ways = [
      sso ? `SSO via ${sso.label}${sso.sandbox ? ` (pick an admin: ${admins.filter((a) => a.tenantId === tenant.id).map((a) => a.email).join(', ') || 'none in the tenants file'})` : ''}` : undefined,
      breakGlass ? `break-glass ${breakGlass.email}` : tenant.breakGlass ? `break-glass off (set ${tenant.breakGlass.passwordHashEnv}: npm run -s hash-password)` : undefined,
    ].filter(Boolean);
    return `${tenant.id}: ${ways.length > 0 ? ways.join('; ') : 'no sign-in configured (add sso or breakGlass to the tenants file)'}`;
  });
}
