/**
 * The slice of the instance's data dictionary the sandbox serves: columns, reference targets,
 * choice labels and journal fields per table. Rendering and query validation read from here, as
 * the real instance reads sys_dictionary.
 */

export interface TableDef {
  readonly columns: readonly string[];
  /** Column → referenced table. */
  readonly references: Readonly<Record<string, string>>;
  /** Column → value → label. */
  readonly choices: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Journal columns read back as "" (history lives in sys_journal_field). */
  readonly journal: readonly string[];
  /** The column a reference to this table displays. */
  readonly displayField: string;
}

const SYS = ['sys_id', 'sys_created_on', 'sys_created_by', 'sys_updated_on', 'sys_updated_by', 'sys_mod_count'];
const URGENCY = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };
const INCIDENT_STATE = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };
const RITM_STATE = { '-5': 'Pending', '1': 'Open', '2': 'Work in Progress', '3': 'Closed Complete', '4': 'Closed Incomplete', '7': 'Closed Skipped' };

export const TABLES: Readonly<Record<string, TableDef>> = {
  incident: {
    columns: [...SYS, 'number', 'short_description', 'description', 'caller_id', 'opened_by', 'opened_at', 'state', 'incident_state', 'urgency', 'impact', 'priority',
      'category', 'subcategory', 'assignment_group', 'assigned_to', 'close_code', 'close_notes', 'resolved_at', 'resolved_by', 'closed_at', 'correlation_id',
      'correlation_display', 'active', 'contact_type', 'sys_class_name', 'comments', 'work_notes'],
    references: { caller_id: 'sys_user', opened_by: 'sys_user', assigned_to: 'sys_user', resolved_by: 'sys_user', assignment_group: 'sys_user_group' },
    choices: {
      state: INCIDENT_STATE, incident_state: INCIDENT_STATE, urgency: URGENCY, impact: URGENCY,
      priority: { '1': '1 - Critical', '2': '2 - High', '3': '3 - Moderate', '4': '4 - Low', '5': '5 - Planning' },
      category: { inquiry: 'Inquiry / Help', software: 'Software', hardware: 'Hardware', network: 'Network', database: 'Database' },
      contact_type: { email: 'Email', phone: 'Phone', self_service: 'Self-service', integration: 'Integration' },
    },
    journal: ['comments', 'work_notes'],
    displayField: 'number',
  },
  sys_user: {
    columns: [...SYS, 'user_name', 'name', 'first_name', 'last_name', 'email', 'title', 'department', 'manager', 'active', 'roles'],
    references: { manager: 'sys_user' },
    choices: {},
    journal: [],
    displayField: 'name',
  },
  sys_user_group: { columns: [...SYS, 'name', 'description', 'active'], references: {}, choices: {}, journal: [], displayField: 'name' },
  sys_journal_field: { columns: [...SYS, 'element_id', 'element', 'name', 'value'], references: {}, choices: {}, journal: [], displayField: 'value' },
  sys_choice: { columns: [...SYS, 'name', 'element', 'value', 'label', 'sequence', 'inactive', 'language'], references: {}, choices: {}, journal: [], displayField: 'label' },
  sc_category: { columns: [...SYS, 'title', 'description', 'active'], references: {}, choices: {}, journal: [], displayField: 'title' },
  sc_cat_item: {
    columns: [...SYS, 'name', 'short_description', 'description', 'category', 'price', 'active', 'roles', 'sys_class_name'],
    references: { category: 'sc_category' },
    choices: {},
    journal: [],
    displayField: 'name',
  },
  sc_request: {
    columns: [...SYS, 'number', 'requested_for', 'opened_by', 'opened_at', 'request_state', 'state', 'stage', 'approval', 'active', 'short_description', 'special_instructions', 'comments'],
    references: { requested_for: 'sys_user', opened_by: 'sys_user' },
    choices: { request_state: { requested: 'Pending Approval', in_process: 'Approved', closed_complete: 'Closed Complete' }, state: RITM_STATE, approval: { requested: 'Requested', approved: 'Approved', not_yet_requested: 'Not Yet Requested' } },
    journal: ['comments'],
    displayField: 'number',
  },
  sc_req_item: {
    columns: [...SYS, 'number', 'request', 'cat_item', 'quantity', 'requested_for', 'opened_by', 'opened_at', 'state', 'stage', 'approval', 'active', 'short_description', 'variables', 'comments', 'work_notes'],
    references: { request: 'sc_request', cat_item: 'sc_cat_item', requested_for: 'sys_user', opened_by: 'sys_user' },
    choices: { state: RITM_STATE, stage: { request_approved: 'Request Approved', waiting_for_approval: 'Waiting for Approval', fulfillment: 'Fulfillment', complete: 'Completed' }, approval: { requested: 'Requested', approved: 'Approved' } },
    journal: ['comments', 'work_notes'],
    displayField: 'number',
  },
};

/** ServiceNow's default impact × urgency → priority lookup. */
export function priorityOf(impact: string, urgency: string): string {
  const sum = Number(impact) + Number(urgency);
  return String(Math.min(5, Math.max(1, sum - 1)));
}

/** `YYYY-MM-DD HH:mm:ss` in UTC, the Table API's raw date-time format. */
export function glideDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}
