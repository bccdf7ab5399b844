import type { ApproverOutreach } from '../runView/approverOutreach.js';
import type { ApprovalMessages } from './approvalMessages.js';
import type { SlackClientProvider } from './webClients.js';

export interface SlackOutreachDeps {
  readonly messages: ApprovalMessages;
  readonly clients: SlackClientProvider;
  /**
   * The tenant's Slack workspace when the request came from another platform: the single workspace
   * ('' — its token needs no team), or the tenant's configured one in multi-workspace mode; null
   * when the tenant has no Slack workspace here.
   */
  readonly workspaceOf: (tenantId: string) => { readonly teamId: string; readonly enterpriseId?: string } | null;
}

/** Slack DMs for approvers of a run requested elsewhere (Teams, web); the same records as Slack's own. */
export function slackApproverOutreach(deps: SlackOutreachDeps): ApproverOutreach {
  const clientFor = async (tenantId: string): Promise<{ client: Awaited<ReturnType<SlackClientProvider['forWorkspace']>>; workspace: { teamId: string; enterpriseId?: string } } | null> => {
    const workspace = deps.workspaceOf(tenantId);
    if (!workspace) return null;
    return { client: await deps.clients.forWorkspace(workspace.teamId, workspace.enterpriseId), workspace };
  };
  return {
    where: 'Slack',
    async request(event) {
      const found = await clientFor(event.tenantId);
      if (!found) return new Set<string>();
      const unreachable = new Set(await deps.messages.send(event, found.workspace, found.client));
      return new Set(event.approvers.filter((a) => !unreachable.has(a.displayName)).map((a) => a.userId));
    },
    async settle(event) {
      const found = await clientFor(event.tenantId);
      if (found) await deps.messages.settle(event, found.client);
    },
    async remind(event) {
      const found = await clientFor(event.tenantId);
      if (found) await deps.messages.remind(event, found.client);
    },
  };
}
