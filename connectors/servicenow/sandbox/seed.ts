import { DEMO_PEOPLE } from '../../shared/demoOrg.js';
import { glideDateTime, priorityOf } from './dictionary.js';
import type { CatalogVariable, Row, ServiceNowSandboxState } from './state.js';

/** Random 32-hex sys_ids from the sandbox's seeded generator, so runs are reproducible. */
export function idMaker(random: () => number): () => string {
  return () => Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}

const CLOSE_CODES = ['Solution provided', 'Workaround provided', 'Resolved by caller', 'Resolved by change', 'Resolved by problem', 'Resolved by request', 'Duplicate', 'Known error', 'No resolution provided', 'User error'];

interface IncidentSeed {
  caller: string;
  short: string;
  description: string;
  category: string;
  state: string;
  urgency: string;
  impact: string;
  assignee?: string;
  group?: string;
  daysAgo: number;
  comments?: readonly [string, string][];
  workNotes?: readonly [string, string][];
}

const INCIDENTS: readonly IncidentSeed[] = [
  { caller: 'ada', short: 'VPN drops every 20 minutes on office Wi-Fi', description: 'GlobalProtect disconnects with error 809, then reconnects after a minute.', category: 'network', state: '2', urgency: '2', impact: '2', assignee: 'linus', group: 'Network', daysAgo: 2,
    comments: [['ada', 'Happens on both my laptops, only in building B.'], ['linus', 'Thanks. Could you send the time of the next drop?']], workNotes: [['linus', 'Suspect the B-wing access point firmware; checking with the vendor.']] },
  { caller: 'alan', short: 'Salesforce dashboard shows stale pipeline data', description: 'The Q3 pipeline dashboard has not refreshed since Monday.', category: 'software', state: '1', urgency: '3', impact: '3', daysAgo: 1 },
  { caller: 'ada', short: 'Docking station does not detect second monitor', description: 'USB-C dock, Dell U2720Q on the second port stays black.', category: 'hardware', state: '6', urgency: '3', impact: '3', assignee: 'linus', group: 'Service Desk', daysAgo: 9 },
  { caller: 'margaret', short: 'Cannot open the shared sales drive', description: 'Access denied on \\\\fs01\\sales since the weekend.', category: 'inquiry', state: '3', urgency: '2', impact: '3', assignee: 'linus', group: 'Service Desk', daysAgo: 4 },
  { caller: 'grace', short: 'New distribution list for the infrastructure team', description: 'Please create infra-team@acme.test with my direct reports.', category: 'inquiry', state: '1', urgency: '3', impact: '3', daysAgo: 3 },
  { caller: 'alan', short: 'Laptop battery is swelling', description: 'The trackpad is lifting; the laptop gets hot while charging.', category: 'hardware', state: '2', urgency: '1', impact: '2', assignee: 'linus', group: 'Service Desk', daysAgo: 1,
    comments: [['alan', 'I have stopped charging it. Is there a loaner?']] },
  { caller: 'linus', short: 'Nightly backup job failed on fileserver-02', description: 'Veeam job "fs02-nightly" failed with a snapshot timeout.', category: 'software', state: '2', urgency: '2', impact: '1', assignee: 'linus', group: 'Network', daysAgo: 0 },
  { caller: 'ada', short: 'Jira sign-in loops after my password change', description: 'Okta SSO keeps redirecting back to the Jira login page.', category: 'software', state: '1', urgency: '2', impact: '3', daysAgo: 0 },
];

interface CatalogSeed { name: string; short: string; category: string; price: string; roles?: string; variables: readonly CatalogVariable[] }

const CATALOG: readonly CatalogSeed[] = [
  { name: 'Standard Laptop', short: 'Lenovo ThinkPad T14 for general office work', category: 'Hardware', price: '$1,299.00', variables: [
    { name: 'operating_system', label: 'Operating system', type: 5, mandatory: true, defaultValue: 'windows', choices: [{ value: 'windows', label: 'Windows 11' }, { value: 'macos', label: 'macOS' }] },
    { name: 'additional_software', label: 'Additional software requirements', type: 2, mandatory: false, defaultValue: '' },
  ] },
  { name: 'Developer Laptop', short: 'MacBook Pro 16" with 64 GB RAM for engineering', category: 'Hardware', price: '$3,499.00', variables: [
    { name: 'additional_software', label: 'Additional software requirements', type: 2, mandatory: false, defaultValue: '' },
  ] },
  { name: 'VPN Access', short: 'Remote access to the corporate network', category: 'Network Access', price: '$0.00', variables: [
    { name: 'justification', label: 'Business justification', type: 2, mandatory: true, defaultValue: '' },
    { name: 'access_level', label: 'Access level', type: 5, mandatory: false, defaultValue: 'standard', choices: [{ value: 'standard', label: 'Standard' }, { value: 'full', label: 'Full tunnel' }] },
  ] },
  { name: 'Software License', short: 'Request a licence for approved software', category: 'Software', price: '$0.00', variables: [
    { name: 'software_name', label: 'Software', type: 6, mandatory: true, defaultValue: '' },
    { name: 'license_type', label: 'Licence type', type: 5, mandatory: false, defaultValue: 'named', choices: [{ value: 'named', label: 'Named user' }, { value: 'concurrent', label: 'Concurrent' }] },
  ] },
  { name: 'Privileged Admin Access', short: 'Temporary administrator rights on a server (IT staff only)', category: 'Network Access', price: '$0.00', roles: 'itil', variables: [
    { name: 'system', label: 'Server or system', type: 6, mandatory: true, defaultValue: '' },
    { name: 'justification', label: 'Business justification', type: 2, mandatory: true, defaultValue: '' },
  ] },
];

export function seedState(state: ServiceNowSandboxState, newId: () => string, now: Date): void {
  const at = (daysAgo: number, minutes = 0): string => glideDateTime(new Date(now.getTime() - daysAgo * 86_400_000 - minutes * 60_000));
  const sys = (created: string, by: string): Row => ({ sys_id: newId(), sys_created_on: created, sys_created_by: by, sys_updated_on: created, sys_updated_by: by, sys_mod_count: '0' });

  const users = new Map<string, Row>();
  for (const person of DEMO_PEOPLE) {
    const userName = `${person.firstName}.${person.lastName}`.toLowerCase();
    users.set(person.key, state.insert('sys_user', {
      ...sys(at(400), 'admin'), user_name: userName, name: `${person.firstName} ${person.lastName}`, first_name: person.firstName, last_name: person.lastName,
      email: person.email, title: person.title, department: person.department, manager: '', active: 'true', roles: person.servicenowRoles.join(','),
    }));
  }
  for (const person of DEMO_PEOPLE) {
    const user = users.get(person.key);
    if (user && person.managerKey) user['manager'] = users.get(person.managerKey)?.['sys_id'] ?? '';
  }
  const id = (key: string | undefined): string => (key ? users.get(key)?.['sys_id'] ?? '' : '');
  const userName = (key: string): string => users.get(key)?.['user_name'] ?? key;

  const groups = new Map<string, string>();
  for (const name of ['Service Desk', 'Network']) groups.set(name, state.insert('sys_user_group', { ...sys(at(400), 'admin'), name, description: `${name} team`, active: 'true' })['sys_id'] ?? '');

  CLOSE_CODES.forEach((label, i) => state.insert('sys_choice', { ...sys(at(400), 'admin'), name: 'incident', element: 'close_code', value: label, label, sequence: String(i * 100), inactive: 'false', language: 'en' }));

  for (const seed of INCIDENTS) {
    const opened = at(seed.daysAgo, 90);
    const resolved = seed.state === '6' ? at(Math.max(0, seed.daysAgo - 1)) : '';
    const row = state.insert('incident', {
      ...sys(opened, userName(seed.caller)), number: state.nextNumber('incident'), short_description: seed.short, description: seed.description,
      caller_id: id(seed.caller), opened_by: id(seed.caller), opened_at: opened, state: seed.state, incident_state: seed.state, urgency: seed.urgency, impact: seed.impact,
      priority: priorityOf(seed.impact, seed.urgency), category: seed.category, subcategory: '', assignment_group: seed.group ? groups.get(seed.group) ?? '' : '',
      assigned_to: id(seed.assignee), close_code: seed.state === '6' ? 'Solution provided' : '', close_notes: seed.state === '6' ? 'Updated the dock firmware to 01.00.22.' : '',
      resolved_at: resolved, resolved_by: seed.state === '6' ? id(seed.assignee) : '', closed_at: '', correlation_id: '', correlation_display: '',
      active: seed.state === '7' || seed.state === '8' ? 'false' : 'true', contact_type: 'self_service', sys_class_name: 'incident', comments: '', work_notes: '',
    });
    if (resolved) Object.assign(row, { sys_updated_on: resolved, sys_updated_by: userName(seed.assignee ?? 'linus') });
    const journal = (element: string, entries: readonly [string, string][] | undefined): void => entries?.forEach(([who, value], i) =>
      state.insert('sys_journal_field', { ...sys(at(seed.daysAgo, 60 - i * 10), userName(who)), element_id: row['sys_id'] ?? '', element, name: 'incident', value }));
    journal('comments', seed.comments);
    journal('work_notes', seed.workNotes);
  }

  const categories = new Map<string, string>();
  for (const title of ['Hardware', 'Software', 'Network Access']) categories.set(title, state.insert('sc_category', { ...sys(at(400), 'admin'), title, description: title, active: 'true' })['sys_id'] ?? '');
  const items = new Map<string, Row>();
  for (const seed of CATALOG) {
    const item = state.insert('sc_cat_item', { ...sys(at(300), 'admin'), name: seed.name, short_description: seed.short, description: `<p>${seed.short}.</p>`, category: categories.get(seed.category) ?? '', price: seed.price, active: 'true', roles: seed.roles ?? '', sys_class_name: 'sc_cat_item' });
    items.set(seed.name, item);
    state.catalogVariables.set(item['sys_id'] ?? '', seed.variables);
  }

  // An order from last week, so "my requests" is never empty and old orders sit outside reconcile's window.
  const laptop = items.get('Standard Laptop');
  const opened = at(6);
  const request = state.insert('sc_request', { ...sys(opened, userName('ada')), number: state.nextNumber('sc_request'), requested_for: id('ada'), opened_by: id('ada'), opened_at: opened, request_state: 'in_process', state: '2', stage: 'fulfillment', approval: 'approved', active: 'true', short_description: 'Standard Laptop', special_instructions: '', comments: '' });
  state.insert('sc_req_item', { ...sys(opened, userName('ada')), number: state.nextNumber('sc_req_item'), request: request['sys_id'] ?? '', cat_item: laptop?.['sys_id'] ?? '', quantity: '1', requested_for: id('ada'), opened_by: id('ada'), opened_at: opened, state: '2', stage: 'fulfillment', approval: 'approved', active: 'true', short_description: 'Standard Laptop', variables: JSON.stringify({ operating_system: 'windows' }), comments: '', work_notes: '' });
}
