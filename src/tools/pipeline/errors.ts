import { SwitchboardError } from '../../core/errors.js';

export class ToolNotFoundError extends SwitchboardError {
  constructor(tool: string) {
    super('tool_not_found', `unknown tool ${tool}`, { userMessage: `I do not have a tool called "${tool}" for your organisation.` });
  }
}

export class ToolArgumentsError extends SwitchboardError {
  constructor(tool: string, problems: readonly string[]) {
    super('tool_invalid_arguments', `invalid arguments for ${tool}: ${problems.join('; ')}`, {
      userMessage: `I could not run ${tool} because its inputs were not valid: ${problems.slice(0, 3).join('; ')}.`,
      details: { problems: [...problems] },
    });
  }
}

export class ToolNotAllowedError extends SwitchboardError {
  constructor(tool: string) {
    super('tool_not_allowed', `tool ${tool} is not enabled for this tenant`, { userMessage: `Your organisation has not enabled ${tool}.` });
  }
}

export class NoEligibleApproverError extends SwitchboardError {
  constructor(tool: string) {
    super('no_eligible_approver', `no eligible approver for ${tool}`, {
      userMessage: `This action needs approval, but nobody other than you can approve it. Please ask your IT team to set up an approver.`,
    });
  }
}

export class ToolOutputError extends SwitchboardError {
  constructor(tool: string, problem: string) {
    super('tool_bad_output', `${tool} returned output that does not match its schema: ${problem}`, {
      userMessage: `The answer from ${tool} was not in the expected shape, so I did not use it.`,
    });
  }
}

export class ToolTimeoutError extends SwitchboardError {
  constructor(tool: string, timeoutMs: number) {
    super('tool_timeout', `${tool} timed out after ${timeoutMs} ms`, { userMessage: `${tool} did not answer in time.`, retryable: true });
  }
}

export class ToolUnavailableError extends SwitchboardError {
  constructor(tool: string, reason: 'circuit_open' | 'overloaded') {
    super(reason === 'circuit_open' ? 'connector_circuit_open' : 'tenant_overloaded', `${tool} rejected: ${reason}`, {
      userMessage:
        reason === 'circuit_open'
          ? 'That system has been failing repeatedly, so I paused calls to it for a moment. Please try again shortly.'
          : 'Too many actions are running for your organisation right now. Please try again shortly.',
      retryable: true,
    });
  }
}

export class ToolUnverifiedError extends SwitchboardError {
  constructor(tool: string) {
    super('tool_unverified', `${tool} was interrupted and its outcome could not be verified`, {
      userMessage: `I was interrupted while running ${tool} and cannot tell whether it took effect. I did not repeat it; please check the system before trying again.`,
    });
  }
}

export class ApprovalChangedError extends SwitchboardError {
  constructor(what: string) {
    super('approval_invalidated', `approval no longer valid: ${what}`, { userMessage: `I did not run the approved action because ${what} since it was approved.` });
  }
}

/** The same person already asked for the same action with the same details, and it is still waiting. */
export class ApprovalAlreadyPendingError extends SwitchboardError {
  constructor(expiresAt: Date) {
    super('approval_already_pending', 'an identical approval request by the same requester is still pending', {
      userMessage: `You already asked for exactly this, and that request is still waiting for an approver (until ${expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC), so I did not ask again. I will go ahead once they approve it.`,
    });
  }
}
