import type { TenantConfig } from '../config/tenantConfig.js';
import type { Logger } from '../core/logger.js';
import { mintScimToken } from '../scim/tokens.js';
import type { Sandboxes } from './sandboxes.js';

/**
 * SANDBOX_SCIM_PUSH=true (issue 16): the Okta sandbox provisions the demo tenant over /scim/v2, as
 * a real Okta org would. The token is minted at each start and only its hash reaches the tenant's
 * SCIM configuration, so nothing is stored; a tenant whose hash variable is already set keeps it
 * (its token is unknown here, so the sandbox cannot push to it).
 */
export interface SandboxScimPush {
  /** The environment SCIM reads token hashes from, with the minted hash added. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Points the sandbox's provisioning at the running product (once it listens). */
  connect(localUrl: string): string | undefined;
}

export function prepareSandboxScimPush(options: { enabled: boolean; sandboxes: Sandboxes | undefined; tenants: readonly TenantConfig[]; env: Readonly<Record<string, string | undefined>>; logger: Logger }): SandboxScimPush {
  const { sandboxes, tenants, logger } = options;
  const tenant = options.enabled && sandboxes ? tenants.find((t) => t.scim) : undefined;
  if (!options.enabled || !sandboxes || !tenant?.scim) {
    if (options.enabled) logger.warn('SANDBOX_SCIM_PUSH needs the sandboxes and a tenant with a `scim` section; the Okta sandbox will not push');
    return { env: options.env, connect: () => undefined };
  }
  const variable = tenant.scim.tokenHashEnv;
  if (options.env[variable]) {
    logger.warn({ tenantId: tenant.id, variable }, 'SANDBOX_SCIM_PUSH: the tenant already has a SCIM token hash, so the Okta sandbox does not push to it');
    return { env: options.env, connect: () => undefined };
  }
  const minted = mintScimToken();
  const pushGroups = tenant.scim.groupMappings.map((m) => m.group);
  return {
    env: { ...options.env, [variable]: minted.hash },
    connect(localUrl) {
      const baseUrl = `${localUrl.replace(/\/+$/, '')}/scim/v2`;
      sandboxes.okta.provisioning.configure({ baseUrl, token: minted.token, pushGroups });
      logger.info({ tenantId: tenant.id, baseUrl, pushGroups }, 'the Okta sandbox provisions this tenant over SCIM (POST /__sandbox/provisioning/push on the Okta sandbox, or any change there)');
      return `Okta sandbox → ${baseUrl} for ${tenant.id} (groups: ${pushGroups.join(', ') || 'none'})`;
    },
  };
}
