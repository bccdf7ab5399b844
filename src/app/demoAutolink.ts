import type { Logger } from '../core/logger.js';
import type { TenantConfig } from '../config/tenantConfig.js';
import type { AccountLinkingService } from '../linking/index.js';
import type { Repositories } from '../store/repositories/index.js';
import { demoPersonByEmail } from '../../connectors/shared/demoOrg.js';

export interface AutolinkSummary {
  readonly linked: number;
  readonly alreadyLinked: number;
  readonly failed: number;
}

/**
 * Sandbox mode only: runs the real OAuth authorization-code + PKCE flow against each sandbox for
 * every demo person, consenting with `login_hint` the way the sandboxes allow, so what gets stored is
 * a real sandbox grant obtained exactly as a browser would, verified against the person like any
 * link. Accounts already linked (and verified) are left alone.
 */
export async function autolinkDemoAccounts(input: {
  tenants: readonly TenantConfig[];
  linking: AccountLinkingService;
  repositories: Pick<Repositories, 'users' | 'accounts'>;
  logger: Logger;
  fetchImpl?: typeof fetch;
}): Promise<AutolinkSummary> {
  const fetchImpl = input.fetchImpl ?? fetch;
  let linked = 0;
  let alreadyLinked = 0;
  let failed = 0;
  for (const tenant of input.tenants) {
    const sandboxConnectors = tenant.connectors.filter((c) => c.baseUrl === 'sandbox');
    if (sandboxConnectors.length === 0) continue;
    const users = (await input.repositories.users.list(tenant.id)).filter((u) => demoPersonByEmail(u.email));
    // One person's four links in sequence, people in parallel: PGlite serializes anyway, Postgres need not.
    await Promise.all(users.map(async (user) => {
      for (const connector of sandboxConnectors) {
        const existing = await input.repositories.accounts.find(tenant.id, user.id, connector.id);
        if (existing && existing.status === 'active' && existing.tokens.metadata['verified_as']) {
          alreadyLinked += 1;
          continue;
        }
        try {
          // The same three legs a browser takes: open the link (binds it to this "browser"), consent
          // at the sandbox, come back with the browser's verifier; the identity check applies as usual.
          const { state } = await input.linking.startLink({ tenantId: tenant.id, userId: user.id, connectorId: connector.id });
          const opened = await input.linking.openLink({ state });
          const authorize = new URL(opened.authorizeUrl);
          authorize.searchParams.set('login_hint', user.email);
          const response = await fetchImpl(authorize, { redirect: 'manual' });
          const location = response.headers.get('location');
          await response.body?.cancel();
          if (response.status < 300 || response.status >= 400 || !location) throw new Error(`authorize answered ${response.status} without a redirect`);
          const callback = new URL(location);
          const code = callback.searchParams.get('code');
          if (!code || callback.searchParams.get('state') !== state) throw new Error(`authorize redirected without a code (${callback.searchParams.get('error') ?? 'no error given'})`);
          await input.linking.completeLink({ state, code, browserVerifier: opened.browserVerifier, connectorId: connector.id });
          linked += 1;
        } catch (error) {
          failed += 1;
          input.logger.warn({ tenantId: tenant.id, email: user.email, connectorId: connector.id, err: { message: error instanceof Error ? error.message : String(error) } }, 'demo account link failed');
        }
      }
    }));
  }
  return { linked, alreadyLinked, failed };
}
