import type { ApproverOutreach } from '../runView/approverOutreach.js';
import type { ApprovalCards } from './approvalCards.js';

/**
 * Teams cards for approvers of a run requested elsewhere (Slack, web). Without a Teams chat of the
 * requester's to create a new chat through, only approvers whose 1:1 chat the bot already knows are
 * reached; the run view's sweep tries again once they install the app or write to the bot.
 */
export function teamsApproverOutreach(cards: ApprovalCards): ApproverOutreach {
  return {
    where: 'Microsoft Teams',
    async request(event) {
      const unreachable = new Set(await cards.send(event));
      return new Set(event.approvers.filter((a) => a.userId !== event.userId && !unreachable.has(a.displayName)).map((a) => a.userId));
    },
    settle: (event) => cards.settle(event),
    remind: (event) => cards.remind(event),
  };
}
