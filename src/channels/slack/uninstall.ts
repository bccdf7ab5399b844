import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../core/logger.js';

/** What the composition root does when Slack says the app is gone (delete tokens and references, audit). */
export type SlackUninstallHandler = (input: {
  readonly tenantId: string;
  readonly teamId: string;
  readonly enterpriseId?: string;
  readonly enterpriseInstall: boolean;
  readonly reason: 'app_uninstalled' | 'tokens_revoked';
}) => Promise<void>;

export interface UninstallDeps {
  readonly tenantFor: (teamId: string, enterpriseId: string | undefined) => Promise<string | null>;
  readonly onUninstalled: SlackUninstallHandler;
  /**
   * Single-workspace mode: the tenant of the one workspace the app lives in. Resolving it normally
   * calls auth.test, which fails once the token is revoked, and the uninstall must still be recorded.
   */
  readonly singleWorkspaceTenantId?: string;
  readonly logger: Logger;
}

const envelopeSchema = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullish(), enterprise_id: z.string().nullish(), is_enterprise_install: z.boolean().optional() })).optional(),
});
const tokensRevokedSchema = z.object({ tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }).optional() });

/**
 * `app_uninstalled`, and `tokens_revoked` for the bot token: the workspace's stored bot token and
 * the people's DM references are useless now and must not linger. Bolt delivers both events without
 * authorizing them (the token is already dead). Revoked user tokens alone change nothing here:
 * Switchboard never stores Slack user tokens.
 */
export function registerUninstallHandlers(app: App, deps: UninstallDeps): void {
  const forget = async (reason: 'app_uninstalled' | 'tokens_revoked', body: unknown): Promise<void> => {
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) return;
    const authorization = envelope.data.authorizations?.[0];
    const teamId = envelope.data.team_id ?? authorization?.team_id ?? undefined;
    const enterpriseId = envelope.data.enterprise_id ?? authorization?.enterprise_id ?? undefined;
    const enterpriseInstall = envelope.data.is_enterprise_install ?? authorization?.is_enterprise_install ?? false;
    const key = teamId ?? enterpriseId;
    if (!key) return;
    const tenantId = (await deps.tenantFor(key, enterpriseId).catch(() => null)) ?? deps.singleWorkspaceTenantId ?? null;
    if (!tenantId) {
      deps.logger.info({ teamId, enterpriseId, reason }, 'slack app removed from a workspace no tenant claims');
      return;
    }
    await deps.onUninstalled({ tenantId, teamId: key, ...(enterpriseId ? { enterpriseId } : {}), enterpriseInstall, reason });
    deps.logger.warn({ tenantId, teamId, enterpriseId, reason }, 'slack app removed: stored tokens and references deleted');
  };

  app.event('app_uninstalled', async ({ body }) => {
    await forget('app_uninstalled', body).catch((error: unknown) => deps.logger.error({ err: error }, 'slack uninstall not recorded'));
  });
  app.event('tokens_revoked', async ({ event, body }) => {
    const parsed = tokensRevokedSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tokens?.bot ?? []).length === 0) return;
    await forget('tokens_revoked', body).catch((error: unknown) => deps.logger.error({ err: error }, 'slack token revocation not recorded'));
  });
}
