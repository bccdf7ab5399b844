import type { ConnectorKind, TokenSet } from '../tools/connector.js';

/**
 * Who the provider says signed in, as each connector's exchange recorded it from the system's own
 * "who am I" answer (Jira `/myself`, ServiceNow sys_user for `gs.getUserID()`, Salesforce and Okta
 * OIDC userinfo / id token).
 */
export interface ReturnedIdentity {
  /** Addresses the system vouches for as this account's email. */
  readonly emails: readonly string[];
  /** Every identifier of the account (ids, logins, usernames, emails), for explicit mappings. */
  readonly identifiers: readonly string[];
  /** How to name the account to the employee. */
  readonly shown: string | undefined;
}

export type IdentityVerdict =
  | { readonly ok: true; readonly verifiedAs: string; readonly by: 'email' | 'mapping' }
  /** unverifiable: the system gave no email and the tenant names no account, so ownership cannot be shown. */
  | { readonly ok: false; readonly shown: string | undefined; readonly unverifiable: boolean };

function clean(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.map((v) => v?.trim()).filter((v): v is string => v !== undefined && v !== ''))];
}

export function returnedIdentity(kind: ConnectorKind, tokens: TokenSet): ReturnedIdentity {
  const m = tokens.metadata;
  // Okta requires logins in email form, so the login is an address Okta vouches for; elsewhere
  // usernames (Salesforce's `ada@acme.test.sandbox`, ServiceNow's `ada.lovelace`) are not emails.
  const emails = clean([m['email'], kind === 'okta' ? m['login'] : undefined]).filter((e) => e.includes('@'));
  const identifiers = clean([tokens.externalUserId, m['email'], m['login'], m['username'], m['user_name']]);
  return { emails, identifiers, shown: emails[0] ?? clean([m['login'], m['username'], m['user_name'], m['display_name']])[0] };
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The account is the employee's when the tenant maps one explicitly (then only that one counts) or,
 * without a mapping, when the system's email for it is the employee's email.
 */
export function verifyIdentity(identity: ReturnedIdentity, employee: { email: string; mapped?: string | undefined }): IdentityVerdict {
  if (employee.mapped !== undefined) {
    const mapped = employee.mapped;
    return identity.identifiers.some((id) => same(id, mapped)) ? { ok: true, verifiedAs: mapped, by: 'mapping' } : { ok: false, shown: identity.shown, unverifiable: false };
  }
  const match = identity.emails.find((e) => same(e, employee.email));
  return match ? { ok: true, verifiedAs: match, by: 'email' } : { ok: false, shown: identity.shown, unverifiable: identity.emails.length === 0 };
}
