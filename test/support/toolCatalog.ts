import type { JsonObject } from '../../src/core/json.js';
import type { ToolSummary } from '../../src/planner/planner.js';
import type { RiskTier } from '../../src/tools/tool.js';

type Prop = { type: string; description?: string; enum?: string[] | number[] };
function schema(props: Record<string, Prop>, required: string[] = []): JsonObject {
  return { type: 'object', properties: props as unknown as JsonObject, required, additionalProperties: false };
}
function tool(kind: string, local: string, risk: RiskTier, description: string, parameters: JsonObject, instance = kind): ToolSummary {
  return { name: `${instance}_${local}`, connectorId: instance, connectorKind: kind, description, risk, parameters };
}
const s = (description: string): Prop => ({ type: 'string', description });

/** The four product connectors exactly as docs/tools.md names them. */
export function productTools(): ToolSummary[] {
  return [
    tool('servicenow', 'list_my_incidents', 'read', 'List the incidents you raised in ServiceNow.', schema({ state: { type: 'string', enum: ['open', 'all'] }, limit: { type: 'integer' } })),
    tool('servicenow', 'get_incident', 'read', 'Get one ServiceNow incident by number, e.g. INC0010001.', schema({ number: s('Incident number') }, ['number'])),
    tool('servicenow', 'create_incident', 'write', 'Open a ServiceNow incident as you. P2 means impact 1 and urgency 2.', schema({ short_description: s('One-line summary'), description: s('Details'), urgency: { type: 'integer', enum: [1, 2, 3] }, impact: { type: 'integer', enum: [1, 2, 3] }, category: s('Category') }, ['short_description'])),
    tool('servicenow', 'add_comment', 'write', 'Add a comment to a ServiceNow incident.', schema({ number: s('Incident number'), comment: s('Comment text') }, ['number', 'comment'])),
    tool('servicenow', 'resolve_incident', 'write', 'Resolve a ServiceNow incident with close notes.', schema({ number: s('Incident number'), close_notes: s('Resolution notes'), close_code: s('Close code') }, ['number', 'close_notes'])),
    tool('servicenow', 'search_catalog', 'read', 'Search the ServiceNow service catalog.', schema({ query: s('Search words') }, ['query'])),
    tool('servicenow', 'order_catalog_item', 'write', 'Order a ServiceNow catalog item.', schema({ item: s('Item sys_id or exact name'), quantity: { type: 'integer' } }, ['item'])),
    tool('jira', 'list_my_issues', 'read', 'List Jira issues assigned to you that are not done.', schema({ jql: s('Optional JQL'), limit: { type: 'integer' } })),
    tool('jira', 'get_issue', 'read', 'Get one Jira issue by key, e.g. NET-12.', schema({ key: s('Issue key') }, ['key'])),
    tool('jira', 'create_issue', 'write', 'Create a Jira issue (bug, task or story) in a project.', schema({ project: s('Project key'), summary: s('Summary'), description: s('Description'), issue_type: { type: 'string', enum: ['Bug', 'Task', 'Story'] }, priority: s('Priority name') }, ['project', 'summary'])),
    tool('jira', 'add_comment', 'write', 'Add a comment to a Jira issue.', schema({ key: s('Issue key'), comment: s('Comment text') }, ['key', 'comment'])),
    tool('jira', 'transition_issue', 'write', 'Move a Jira issue to another status.', schema({ key: s('Issue key'), to: s('Target status or transition name') }, ['key', 'to'])),
    tool('jira', 'assign_issue', 'write', 'Assign a Jira issue to someone or to me.', schema({ key: s('Issue key'), assignee: s('Email, display name or "me"') }, ['key', 'assignee'])),
    tool('salesforce', 'find_accounts', 'read', 'Find Salesforce accounts by name.', schema({ name: s('Account name') }, ['name'])),
    tool('salesforce', 'find_opportunities', 'read', 'Find Salesforce opportunities by name, account or stage.', schema({ name: s('Opportunity name'), account: s('Account name'), stage: s('Stage') })),
    tool('salesforce', 'find_cases', 'read', 'Find Salesforce cases by subject, account or status.', schema({ subject: s('Subject'), account: s('Account'), status: s('Status') })),
    tool('salesforce', 'get_record', 'read', 'Get a Salesforce Account, Opportunity or Case by id.', schema({ object: { type: 'string', enum: ['Account', 'Opportunity', 'Case'] }, id: s('Record id') }, ['object', 'id'])),
    tool('salesforce', 'create_case', 'write', 'Create a Salesforce case.', schema({ subject: s('Subject'), description: s('Description'), account: s('Account'), priority: { type: 'string', enum: ['High', 'Medium', 'Low'] } }, ['subject'])),
    tool('salesforce', 'update_opportunity_stage', 'write', 'Move a Salesforce opportunity to another stage.', schema({ opportunity: s('Opportunity name or id'), stage: s('Stage name') }, ['opportunity', 'stage'])),
    tool('okta', 'get_my_profile', 'read', 'Show your Okta profile.', schema({})),
    tool('okta', 'list_my_groups', 'read', 'List the Okta groups you belong to.', schema({})),
    tool('okta', 'list_my_apps', 'read', 'List the apps assigned to you in Okta.', schema({})),
    tool('okta', 'reset_my_password', 'high', 'Reset your own Okta password (sends a reset link).', schema({})),
    tool('okta', 'unlock_my_account', 'high', 'Unlock your Okta account when it is locked out.', schema({})),
    tool('okta', 'reset_my_mfa', 'high', 'Reset your Okta MFA factors so you can enrol again.', schema({})),
    tool('okta', 'request_group_membership', 'high', 'Request membership of an Okta group; needs approval.', schema({ group: s('Group name'), justification: s('Why') }, ['group'])),
    tool('okta', 'request_app_access', 'high', 'Request access to an app in Okta; needs approval.', schema({ app: s('App name'), justification: s('Why') }, ['app'])),
  ];
}

const EXTRA_SYSTEMS: readonly { kind: string; noun: string; things: string }[] = [
  { kind: 'github', noun: 'pull request', things: 'repositories' }, { kind: 'confluence', noun: 'page', things: 'spaces' },
  { kind: 'workday', noun: 'time off request', things: 'absences' }, { kind: 'zendesk', noun: 'support ticket', things: 'customer tickets' },
  { kind: 'pagerduty', noun: 'on-call shift', things: 'schedules' }, { kind: 'hubspot', noun: 'contact', things: 'marketing lists' },
  { kind: 'greenhouse', noun: 'candidate', things: 'job openings' }, { kind: 'netsuite', noun: 'purchase order', things: 'vendors' },
  { kind: 'gdrive', noun: 'document', things: 'shared drives' }, { kind: 'box', noun: 'file', things: 'folders' },
  { kind: 'asana', noun: 'task', things: 'projects' }, { kind: 'datadog', noun: 'monitor', things: 'dashboards' },
  { kind: 'coupa', noun: 'expense report', things: 'invoices' }, { kind: 'docusign', noun: 'envelope', things: 'templates' },
  { kind: 'gitlab', noun: 'merge request', things: 'pipelines' }, { kind: 'linear', noun: 'ticket', things: 'cycles' },
];

/** A tenant with 20 connectors: the four product ones plus 16 realistic others, 5–7 tools each (~125 tools). */
export function twentyConnectorTools(): ToolSummary[] {
  const tools = productTools();
  for (const sys of EXTRA_SYSTEMS) {
    const name = sys.kind.charAt(0).toUpperCase() + sys.kind.slice(1);
    const local = sys.noun.replace(/[^a-z]+/g, '_');
    tools.push(
      tool(sys.kind, `list_my_${local}s`, 'read', `List your ${sys.noun}s in ${name}.`, schema({ limit: { type: 'integer' } })),
      tool(sys.kind, `get_${local}`, 'read', `Get one ${name} ${sys.noun} by id.`, schema({ id: s('Id') }, ['id'])),
      tool(sys.kind, `create_${local}`, 'write', `Create a ${sys.noun} in ${name} as you.`, schema({ title: s('Title'), body: s('Details') }, ['title'])),
      tool(sys.kind, `update_${local}`, 'write', `Update a ${name} ${sys.noun}.`, schema({ id: s('Id'), fields: { type: 'object' } }, ['id'])),
      tool(sys.kind, `comment_on_${local}`, 'write', `Comment on a ${name} ${sys.noun}.`, schema({ id: s('Id'), comment: s('Text') }, ['id', 'comment'])),
      tool(sys.kind, `search_${sys.things.replace(/[^a-z]+/g, '_')}`, 'read', `Search ${name} ${sys.things}.`, schema({ query: s('Words') }, ['query'])),
    );
  }
  return tools;
}
