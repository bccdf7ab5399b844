import type { FakeMessage, FakeSlackApi } from '../../../support/fakeSlackApi.js';
import { eventually } from '../../../app/support/product.js';

/** The demo tenant's people as members of one Slack workspace, for tests against the whole product. */
export const DEMO_TEAM = 'T0ACME';
export const demoPeople = {
  ada: { id: 'U0ADA', email: 'ada@acme.test', name: 'Ada Lovelace' },
  grace: { id: 'U0GRACE', email: 'grace@acme.test', name: 'Grace Hopper' },
  linus: { id: 'U0LINUS', email: 'linus@acme.test', name: 'Linus Torvalds' },
  alan: { id: 'U0ALAN', email: 'alan@acme.test', name: 'Alan Turing' },
} as const;

export function addDemoPeople(slack: FakeSlackApi): void {
  for (const person of Object.values(demoPeople)) slack.addUser({ ...person, teamId: DEMO_TEAM });
}

/** Approval DMs carry Approve/Deny buttons; Okta's approvers in the demo tenant are it-admins (linus) and the manager (grace). */
export function approvalDms(slack: FakeSlackApi): Promise<FakeMessage[]> {
  return eventually(async () => {
    const dms = [demoPeople.grace, demoPeople.linus].flatMap((p) => slack.messages(slack.dmChannelOf(p.id)))
      .filter((m) => JSON.stringify(m.blocks).includes('switchboard_approve'));
    return dms.length > 0 ? dms : undefined;
  }, 'an approval DM with buttons');
}

/**
 * After Ada asks for a password reset in her DM: progress started in her thread and an approval DM
 * reached an approver. Returns that DM and the approver who got it.
 */
export async function awaitApprovalRequest(slack: FakeSlackApi, channel: string): Promise<{ dm: FakeMessage; approverId: string }> {
  await slack.waitForCall('assistant.threads.setStatus', (c) => c.args.channel_id === channel, 20_000);
  await slack.waitForCall('chat.startStream', (c) => c.args.channel === channel, 20_000);
  const [dm] = await approvalDms(slack);
  if (!dm) throw new Error('no approval DM');
  const approverId = dm.channel === slack.dmChannelOf(demoPeople.grace.id) ? demoPeople.grace.id : demoPeople.linus.id;
  return { dm, approverId };
}
