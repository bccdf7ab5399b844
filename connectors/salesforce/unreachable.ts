import { SwitchboardError } from '../../src/core/errors.js';

/** The connection failed before Salesforce answered (refused, reset, DNS). The cause is kept for operators. */
export class SalesforceUnreachableError extends SwitchboardError {
  constructor(what: string, cause: unknown) {
    super('connector_unavailable', `Salesforce could not be reached for ${what}`, {
      userMessage: 'Salesforce could not be reached right now. Please try again in a few minutes.',
      retryable: true,
      cause,
    });
  }
}
