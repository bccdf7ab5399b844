export type ApprovalDecision = 'approve' | 'deny';

export type DecideResult =
  | { readonly status: 'decided'; readonly decision: 'approved' | 'denied'; readonly approvalId: string; readonly action: string; readonly decidedAt: string }
  | {
      readonly status: 'refused';
      readonly code: 'not_found' | 'not_eligible' | 'requester_cannot_approve' | 'already_decided' | 'expired' | 'wrong_tenant';
      /** For the person who clicked. */
      readonly message: string;
    };

export type CancelResult =
  | { readonly status: 'cancelled'; readonly approvalId: string; readonly action: string; readonly runEnded: boolean }
  | { readonly status: 'refused'; readonly code: 'not_found' | 'not_requester' | 'already_decided' | 'unsupported'; readonly message: string };

/** Channels resolve the clicking person to a tenant user, then call this; it decides atomically, once. */
export interface ApprovalDecider {
  decide(input: { tenantId: string; approvalId: string; deciderUserId: string; decision: ApprovalDecision; comment?: string }): Promise<DecideResult>;
  /** The requester withdraws a waiting request (the run ends `cancelled`). */
  cancel?(input: { tenantId: string; approvalId: string; requesterUserId: string }): Promise<CancelResult>;
}
