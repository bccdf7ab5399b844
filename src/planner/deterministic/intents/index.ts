import { jiraIntents } from './jira.js';
import { oktaIntents } from './okta.js';
import { salesforceIntents } from './salesforce.js';
import { serviceNowIntents } from './servicenow.js';
import type { Intent } from '../types.js';

/**
 * Order matters: specific intents (act on a numbered record) before generic ones (list mine),
 * and ServiceNow's INC numbers before Jira keys so "INC0010001" is never read as a Jira key.
 */
export const INTENTS: readonly Intent[] = [...oktaIntents.slice(0, 3), ...serviceNowIntents, ...jiraIntents, ...salesforceIntents, ...oktaIntents.slice(3)];
