import type { ApproverRef, RunEvent } from '../../events/runEvent.js';
import type { ApprovalDelivery } from './wording.js';

type ApprovalRequested = Extract<RunEvent, { type: 'approval.requested' }>;
type ApprovalDecided = Extract<RunEvent, { type: 'approval.decided' }>;
type ApprovalReminder = Extract<RunEvent, { type: 'approval.reminder' }>;

/**
 * A chat platform reaching approvers for a run requested on another platform: the requester's
 * channel asks every other configured platform, so an approver is reached wherever they are known.
 * Each platform remembers per approval whom it already reached (in the shared store), so asking
 * again — a replay, the sweep, another process — never sends anyone a second request.
 */
export interface ApproverOutreach {
  /** The platform's name in the requester's words ("Slack", "Microsoft Teams"). */
  readonly where: string;
  /** Sends the request to the approvers this platform knows; resolves the user ids who have it here. */
  request(event: ApprovalRequested): Promise<ReadonlySet<string>>;
  /** Replaces the approvers' copies on this platform with the outcome. */
  settle(event: ApprovalDecided): Promise<void>;
  /** Nudges the approvers reached on this platform. */
  remind(event: ApprovalReminder): Promise<void>;
}

/**
 * One delivery for the requester's note out of the requester's own platform and every other one:
 * an approver counts as asked when any platform reached them, and as unreachable only when none did.
 */
export function combineDeliveries(own: ApprovalDelivery, elsewhere: readonly { readonly where: string; readonly reached: ReadonlySet<string> }[]): ApprovalDelivery {
  if (elsewhere.length === 0) return own;
  const reachedElsewhere = (approver: ApproverRef): boolean => elsewhere.some((other) => other.reached.has(approver.userId));
  const asked = [...own.asked];
  const unreachable: { approver: ApproverRef; where: string }[] = [];
  for (const { approver, where } of own.unreachable) {
    if (reachedElsewhere(approver)) {
      if (!asked.some((a) => a.userId === approver.userId)) asked.push(approver);
    } else {
      unreachable.push({ approver, where: [where, ...elsewhere.map((other) => other.where)].join(' or ') });
    }
  }
  return { asked, unreachable };
}
