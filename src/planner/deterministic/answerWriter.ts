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
      return `❌ ${title}: ${failureText(observation)}`;
    case 'denied':
      return `🚫 ${title}: this was not approved, so I did not do it.`;
    case 'unverified':
      return `⚠️ ${title}: I could not confirm whether this went through. Please check before asking again.`;
    case 'skipped':
      // Switchboard's own reason (an identical request already waiting); never tool text.
      if (observation.error?.code === 'approval_already_pending') return `⏳ ${title}: ${observation.error.message}`;
      return `⏭️ ${title}: skipped because an earlier step did not succeed.`;
  }
}

const SYSTEM_NAMES: Readonly<Record<string, string>> = { servicenow: 'ServiceNow', jira: 'Jira', salesforce: 'Salesforce', okta: 'Okta' };

/**
 * Codes whose message a connector may have filled with the vendor's own reply (validation text,
 * field names): the employee gets a sentence of ours instead; the vendor text stays in the log.
 */
const VENDOR_WORDED = new Set(['connector_bad_request', 'connector_error', 'connector_conflict']);

function systemOf(tool: string): string {
  const prefix = tool.split('_')[0] ?? tool;
  return SYSTEM_NAMES[prefix] ?? prefix;
}

/** Why a step failed, in Switchboard's words. */
function failureText(observation: StepObservation): string {
  const error = observation.error;
  if (!error) return 'that did not work.';
  if (VENDOR_WORDED.has(error.code)) {
    return `${systemOf(observation.tool)} did not accept the request as I sent it, so nothing was changed. Please check the details and ask again; the exact reply is in the log for the support team.`;
  }
  const message = quoteData(error.message, 200).replace(/^[“"]|[”"]$/g, '').trim();
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * A short, employee-facing answer built only from what the steps returned: each outcome once,
 * and when something failed the answer says so first, so a partial success is never read as a
 * full one.
 */
export function writeAnswer(observations: readonly StepObservation[], plan?: Plan): string {
  if (observations.length === 0) return 'There was nothing for me to do.';
  const titles = new Map((plan?.steps ?? []).map((s) => [s.id, s.title]));
  const lines = observations.map((o) => lineFor(o, titles.get(o.stepId) ?? o.tool.replace(/_/g, ' ')));
  const failed = observations.filter((o) => o.status === 'failed').length;
  const worked = observations.filter((o) => o.status === 'succeeded').length;
  if (failed === 0) return lines.join('\n');
  const headline = worked === 0
    ? observations.length === 1 ? 'That did not work.' : 'None of this worked.'
    : `${failed} of ${observations.length} steps did not work; the rest went through.`;
  return [headline, ...lines].join('\n');
}

export const REDUCED_MODE_NOTICE = 'Note: I am running in reduced mode because the AI model is unavailable, so I can only handle common requests right now.';

export const TIER0_HELP = [
  'I can help with everyday requests such as:',
  '• "reset my password", "unlock my account", "reset my MFA"',
  '• "my open tickets", "status of INC0010001", "open a P2 incident about the VPN drops"',
  '• "my Jira issues", "create a Jira bug in NET about …", "move NET-12 to Done", "assign NET-12 to me"',
  '• "order a laptop", "where is my laptop order?", "how do I set up the VPN?"',
  '• "find account Globex", "move opportunity Globex Renewal to Closed Won", "open a Salesforce case for Globex about …"',
  '• "request access to Figma", "add me to the vpn-users group"',
].join('\n');
