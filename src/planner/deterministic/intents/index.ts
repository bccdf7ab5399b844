import { catalogIntents } from './catalog.js';
import { jiraIntents } from './jira.js';
import { jiraFieldIntents } from './jiraFields.js';
import { oktaIntents } from './okta.js';
import { oktaMoreIntents } from './oktaMore.js';
import { salesforceIntents } from './salesforce.js';
import { salesforceCaseIntents } from './salesforceMore.js';
import { serviceNowIntents } from './servicenow.js';
import { knowledgeIntent, serviceNowRecordIntents } from './servicenowRecords.js';
import type { Intent } from '../types.js';

const byId = (intents: readonly Intent[], ...ids: string[]): Intent[] => ids.map((id) => intents.find((i) => i.id === id)!).filter(Boolean);
const without = (intents: readonly Intent[], ...ids: string[]): Intent[] => intents.filter((i) => !ids.includes(i.id));

/**
 * Order matters: questions before the actions they mention ("how do I reset my password"),
 * specific intents (change a numbered record) before generic ones (look it up, list mine), and
 * ServiceNow's INC numbers before Jira keys so "INC0010001" is never read as a Jira key. An intent
 * whose tool the tenant lacks is skipped, and the guards then say plainly that it cannot be done.
 */
export const INTENTS: readonly Intent[] = [
  knowledgeIntent,
  ...oktaIntents.slice(0, 3),
  ...oktaMoreIntents,
  ...byId(serviceNowIntents, 'servicenow.add_comment', 'servicenow.resolve_incident'),
  ...serviceNowRecordIntents,
  ...without(serviceNowIntents, 'servicenow.add_comment', 'servicenow.resolve_incident'),
  ...catalogIntents,
  ...byId(jiraIntents, 'jira.add_comment', 'jira.assign_issue'),
  ...jiraFieldIntents,
  ...without(jiraIntents, 'jira.add_comment', 'jira.assign_issue'),
  ...salesforceCaseIntents,
  ...salesforceIntents,
  ...oktaIntents.slice(3),
];
