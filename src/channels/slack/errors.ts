import { SwitchboardError } from '../../core/errors.js';

/** Raised when the Slack adapter cannot reach a workspace it needs (no installation, no token). */
export class SlackWorkspaceNotInstalledError extends SwitchboardError {
  constructor(workspace: string) {
    super('slack_workspace_not_installed', `no Slack installation for ${workspace}`, {
      userMessage: 'Switchboard is not installed in this Slack workspace yet. Please ask your IT team to set it up.',
    });
  }
}

/** An installation arrived for a workspace that no tenant claims in its configuration. */
export class SlackWorkspaceNotConfiguredError extends SwitchboardError {
  constructor(workspace: string) {
    super('slack_workspace_not_configured', `Slack workspace ${workspace} belongs to no tenant`, {
      userMessage: 'This Slack workspace is not set up for Switchboard yet. Please ask your IT team to add it.',
    });
  }
}

/** A Slack payload did not have the shape the adapter relies on. */
export class SlackPayloadError extends SwitchboardError {
  constructor(what: string, details?: Record<string, unknown>) {
    super('slack_payload_invalid', `unexpected Slack payload: ${what}`, {
      userMessage: 'I could not understand that Slack request.',
      ...(details ? { details } : {}),
    });
  }
}
