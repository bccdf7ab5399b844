import type { Plan } from '../../engine/plan.js';
import type { StepObservation } from '../planner.js';
import { describeResult, quoteData } from '../../tools/outputSummary.js';

export { describeResult, quoteData };

function lineFor(observation: StepObservation, title: string): string {
  switch (observation.status) {
    case 'succeeded': {
      if (observation.summary) return `✅ ${observation.summary}`;
      const details = describeResult(observation.result);
      return details ? `✅ ${title}: ${details}` : `✅ ${title}: done.`;
    }
    case 'failed':
      return `❌ ${title}: that did not work${observation.error ? ` (${quoteData(observation.error.message, 200)})` : ''}.`;
    case 'denied':
      return `🚫 ${title}: this was not approved, so I did not do it.`;
    case 'unverified':
      return `⚠️ ${title}: I could not confirm whether this went through. Please check before asking again.`;
    case 'skipped':
      return `⏭️ ${title}: skipped because an earlier step did not succeed.`;
  }
}

/** A short, employee-facing answer built only from what the steps returned. */
export function writeAnswer(observations: readonly StepObservation[], plan?: Plan): string {
  if (observations.length === 0) return 'There was nothing for me to do.';
  const titles = new Map((plan?.steps ?? []).map((s) => [s.id, s.title]));
  return observations.map((o) => lineFor(o, titles.get(o.stepId) ?? o.tool.replace(/_/g, ' '))).join('\n');
}

export const REDUCED_MODE_NOTICE = 'Note: I am running in reduced mode because the AI model is unavailable, so I can only handle common requests right now.';

export const TIER0_HELP = [
  'I can help with everyday requests such as:',
  '• "reset my password", "unlock my account", "reset my MFA"',
  '• "my open tickets", "status of INC0010001", "open a P2 incident about the VPN drops"',
  '• "my Jira issues", "create a Jira bug in NET about …", "move NET-12 to Done", "assign NET-12 to me"',
  '• "find account Globex", "move opportunity Globex Renewal to Closed Won"',
  '• "request access to Figma", "add me to the vpn-users group"',
].join('\n');
