import { combineDeliveries } from '../../../src/channels/runView/approverOutreach.js';
import { approvalWaitingNote } from '../../../src/channels/runView/wording.js';

const grace = { userId: 'u-grace', displayName: 'Grace Hopper', email: 'grace@acme.test' };
const linus = { userId: 'u-linus', displayName: 'Linus Torvalds', email: 'linus@acme.test' };

test('"could not reach" only for an approver no platform reached, naming every place tried', () => {
  const own = { asked: [], unreachable: [{ approver: grace, where: 'Microsoft Teams' }, { approver: linus, where: 'Microsoft Teams' }] };
  const delivery = combineDeliveries(own, [{ where: 'Slack', reached: new Set(['u-grace']) }]);
  expect(delivery.asked.map((a) => a.userId)).toEqual(['u-grace']);
  const note = approvalWaitingNote([grace, linus], 'Reset your Okta password', delivery);
  expect(note).toContain('I have asked Grace Hopper');
  expect(note).toContain('I could not reach Linus Torvalds in Microsoft Teams or Slack.');
  expect(note).not.toMatch(/could not reach Grace/);
});

test('an approver reached on the requester\'s platform and elsewhere is named once', () => {
  const delivery = combineDeliveries({ asked: [grace], unreachable: [] }, [{ where: 'Slack', reached: new Set(['u-grace']) }]);
  expect(delivery).toEqual({ asked: [grace], unreachable: [] });
});
