import type { FakeMessage } from '../../../support/fakeSlackApi.js';

/** The block_actions payload Slack sends when someone clicks a button in a message the bot posted. */
export function clickPayload(input: { userId: string; teamId: string; message: FakeMessage; actionId: string; value?: string; enterpriseId?: string }): Record<string, unknown> {
  const actions = (input.message.blocks as { type: string; block_id?: string; elements?: { action_id: string; value?: string }[] }[]).find((b) => b.type === 'actions');
  const button = actions?.elements?.find((e) => e.action_id === input.actionId);
  return {
    type: 'block_actions',
    user: { id: input.userId, username: input.userId.toLowerCase(), team_id: input.teamId },
    api_app_id: 'A0SWITCH',
    token: 'legacy',
    container: { type: 'message', message_ts: input.message.ts, channel_id: input.message.channel, is_ephemeral: false },
    trigger_id: '123.456.abc',
    team: { id: input.teamId, domain: 'acme' },
    enterprise: input.enterpriseId ? { id: input.enterpriseId, name: 'Acme Grid' } : null,
    is_enterprise_install: false,
    channel: { id: input.message.channel, name: 'directmessage' },
    message: { type: 'message', ts: input.message.ts, text: input.message.text, blocks: input.message.blocks },
    response_url: 'http://127.0.0.1:9/unused',
    actions: [{ action_id: input.actionId, block_id: actions?.block_id ?? 'b', value: input.value ?? button?.value ?? '', type: 'button', action_ts: '1710000000.1' }],
  };
}
