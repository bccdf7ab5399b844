import type { KnownBlock, View } from '@slack/types';

/** Shown in the agent's Messages tab, new assistant threads and App Home; the manifest lists the same four. */
export const SUGGESTED_PROMPTS: readonly { readonly title: string; readonly message: string }[] = [
  { title: 'Reset my Okta password', message: 'Reset my Okta password' },
  { title: 'My open incidents', message: 'Show my open ServiceNow incidents' },
  { title: 'Report an outage', message: 'Open a P2 incident for the VPN drops and file a Jira bug for the network team' },
  { title: 'My Jira issues', message: 'What Jira issues are assigned to me?' },
];

export const AGENT_DESCRIPTION =
  'Switchboard does IT and business requests for you in ServiceNow, Jira, Salesforce and Okta, acting as you, and asks the right approver before anything risky.';

export function homeView(): View {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Switchboard' } },
    { type: 'section', text: { type: 'mrkdwn', text: AGENT_DESCRIPTION } },
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Try asking me in the Messages tab:*' } },
    ...SUGGESTED_PROMPTS.map((prompt): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: `• ${prompt.message}` } })),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'High-risk actions such as password resets wait for an approver. I never see your passwords.' }],
    },
  ];
  return { type: 'home', blocks };
}
