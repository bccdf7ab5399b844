import type { ActingIdentity } from '../../tools/actionView.js';
import type { CredentialAccessor } from '../../tools/credentials.js';
import type { RegisteredTool } from '../../tools/registry.js';

/** Metadata keys the connectors store at linking time that name the account, most readable first. */
const ACCOUNT_KEYS = ['verified_as', 'email', 'login', 'username', 'user_name', 'preferred_username'] as const;

/**
 * The linked account a connector tool acts as, for the approval card. The approver must see whose
 * account this is in that system (a link completed by someone else shows up here), so the name
 * comes from the stored credential, never from the arguments or the planner.
 */
export async function actingIdentityOf(tool: RegisteredTool, credentials: CredentialAccessor): Promise<ActingIdentity | undefined> {
  if (!tool.connector) return undefined;
  try {
    const linked = await credentials.forUser();
    const named = ACCOUNT_KEYS.map((key) => linked.metadata[key]).find((value) => typeof value === 'string' && value.trim() !== '');
    const account = named ?? (linked.externalUserId ? `account id ${linked.externalUserId}` : undefined);
    return account ? { system: tool.connector.displayName, account } : undefined;
  } catch {
    // Not linked or unreadable: the check before the approval already decided whether that blocks.
    return undefined;
  }
}
