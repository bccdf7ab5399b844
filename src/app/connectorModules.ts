import type { ConnectorKind, ConnectorModule } from '../tools/connector.js';
import { servicenowConnector } from '../../connectors/servicenow/index.js';
import { jiraConnector } from '../../connectors/jira/index.js';
import { salesforceConnector } from '../../connectors/salesforce/index.js';
import { oktaConnector } from '../../connectors/okta/index.js';

/** Every connector kind the product ships, by kind. */
export const CONNECTOR_MODULES: Readonly<Record<ConnectorKind, ConnectorModule>> = {
  servicenow: servicenowConnector,
  jira: jiraConnector,
  salesforce: salesforceConnector,
  okta: oktaConnector,
};
