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
 * a real sandbox grant obtained exactly as a browser would. Accounts already linked are left alone.
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
        if (await input.repositories.accounts.find(tenant.id, user.id, connector.id)) {
          alreadyLinked += 1;
          continue;
        }
        try {
          const { url } = await input.linking.startLink({ tenantId: tenant.id, userId: user.id, connectorId: connector.id });
          const authorize = new URL(url);
          authorize.searchParams.set('login_hint', user.email);
          const response = await fetchImpl(authorize, { redirect: 'manual' });
          const location = response.headers.get('location');
          await response.body?.cancel();
          if (response.status < 300 || response.status >= 400 || !location) throw new Error(`authorize answered ${response.status} without a redirect`);
          const callback = new URL(location);
          const code = callback.searchParams.get('code');
          const state = callback.searchParams.get('state');
          if (!code || !state) throw new Error(`authorize redirected without a code (${callback.searchParams.get('error') ?? 'no error given'})`);
          await input.linking.completeLink({ state, code, connectorId: connector.id });
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
