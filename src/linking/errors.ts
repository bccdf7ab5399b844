import { SwitchboardError } from '../core/errors.js';

export class LinkStateInvalidError extends SwitchboardError {
  constructor(reason: string) {
    super('link_state_invalid', `oauth state rejected: ${reason}`, {
      userMessage: 'This sign-in link has expired or was already used. Ask me again and I will send a fresh one.',
    });
  }
}

export class LinkExchangeFailedError extends SwitchboardError {
  constructor(connectorName: string, cause: unknown) {
    super('link_exchange_failed', `${connectorName} code exchange failed: ${cause instanceof Error ? cause.message : 'unknown error'}`, {
      userMessage: `${connectorName} did not accept the sign-in. Please try connecting again.`,
      cause,
    });
  }
}

export class UnknownConnectorError extends SwitchboardError {
  constructor(tenantId: string, connectorId: string) {
    super('unknown_connector', `tenant ${tenantId} has no connector ${connectorId}`, { userMessage: `I don't know a system called "${connectorId}" here.` });
  }
}

export class ServiceCredentialMissingError extends SwitchboardError {
  constructor(connectorId: string, connectorName: string) {
    super('service_credential_missing', `connector ${connectorId} has no service token configured`, {
      userMessage: `${connectorName} self-service is not set up for your organisation. Please contact IT.`,
    });
  }
}

/** The callback came to a browser that did not open the link from the chat (no or wrong cookie). */
export class LinkBrowserMismatchError extends SwitchboardError {
  constructor() {
    super('link_browser_mismatch', 'oauth callback without the cookie of the browser that opened the link', {
      userMessage: 'This sign-in was finished in a different browser from the one that opened the link, so I did not connect anything. Open the link and sign in within one browser; if the link no longer works, ask me again in the chat for a fresh one.',
    });
  }
}

/** The link was already opened in another browser: only the first browser may finish it. */
export class LinkAlreadyOpenedError extends SwitchboardError {
  constructor() {
    super('link_already_opened', 'account link already opened in another browser', {
      userMessage: 'This link was already opened (in this or another browser) and can be opened only once. If you did not finish signing in, ask me again in the chat for a fresh link.',
    });
  }
}

/** The account that came back is not the employee's: nothing was stored. */
export class LinkIdentityMismatchError extends SwitchboardError {
  /** Whose link it was, so the page (shown only in the browser that opened it) can offer a fresh one. */
  readonly target: { readonly tenantId: string; readonly userId: string; readonly connectorId: string; readonly runId?: string };

  constructor(input: { connectorName: string; signedInAs: string | undefined; unverifiable: boolean; employee: string; mapped: string | undefined; target: LinkIdentityMismatchError['target'] }) {
    const name = input.connectorName;
    const userMessage = input.mapped !== undefined
      ? `You signed in to ${name} as ${input.signedInAs ?? 'another account'}, but your organisation lists ${input.mapped} as your ${name} account, so I did not connect that account. Sign in to ${name} as ${input.mapped}, or ask your admin to correct your Switchboard profile.`
      : input.unverifiable
      ? `${name} did not tell me the email address of the account you signed in with${input.signedInAs ? ` (${input.signedInAs})` : ''}, so I could not check that it is yours (${input.employee}) and did not connect it. Ask your admin to add your ${name} account to your Switchboard profile.`
      : `You signed in to ${name} as ${input.signedInAs ?? 'another account'}, but you are ${input.employee} in Switchboard, so I did not connect that account. Sign in to ${name} with your own account, or, if your ${name} account uses a different email address, ask your admin to add it to your Switchboard profile.`;
    super('link_identity_mismatch', `${name} account does not belong to the employee`, { userMessage });
    this.target = input.target;
  }
}
