import { createHash } from 'node:crypto';
import { DEMO_PEOPLE } from '../../shared/demoOrg.js';
import type { SandboxIssue, SandboxProject, SandboxStatus, SandboxTransition, SandboxUser } from './model.js';

/** Atlassian account ids look like `712020:<uuid>`; deriving them from the email keeps them stable across runs. */
export function accountIdFor(email: string): string {
  const h = createHash('sha256').update(email.toLowerCase()).digest('hex');
  return `712020:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const SEED_USERS: readonly SandboxUser[] = DEMO_PEOPLE.map((person) => ({
  accountId: accountIdFor(person.email),
  email: person.email,
  displayName: `${person.firstName} ${person.lastName}`,
  active: true,
  timeZone: 'Europe/London',
  person,
}));

function idOf(key: string): string {
  const user = SEED_USERS.find((u) => u.person.key === key);
  if (!user) throw new Error(`unknown demo person ${key}`);
  return user.accountId;
}

export const STATUSES: readonly SandboxStatus[] = [
  { id: '10000', name: 'To Do', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10001', name: 'Done', category: 'done' },
];

/** One workflow for all three projects: To Do → In Progress → Done, with the way back. */
export const TRANSITIONS: readonly SandboxTransition[] = [
  { id: '21', name: 'Start Progress', from: ['10000'], to: '3' },
  { id: '31', name: 'Mark Done', from: ['3'], to: '10001' },
  { id: '41', name: 'Stop Progress', from: ['3'], to: '10000' },
  { id: '51', name: 'Reopen', from: ['10001'], to: '10000' },
];

export function seedProjects(): SandboxProject[] {
  return [
    { id: '10010', key: 'NET', name: 'Network Engineering', leadAccountId: idOf('grace'), adminAccountIds: [idOf('grace')] },
    { id: '10020', key: 'HELP', name: 'IT Help Desk', leadAccountId: idOf('linus'), adminAccountIds: [idOf('linus')] },
    { id: '10030', key: 'FIN', name: 'Finance Systems', leadAccountId: idOf('linus'), adminAccountIds: [idOf('linus')] },
  ];
}

type SeedRow = [project: string, type: string, summary: string, status: 'To Do' | 'In Progress' | 'Done', assignee: string | null, reporter: string, priority: string];

const ROWS: readonly SeedRow[] = [
  ['NET', 'Bug', 'VPN drops every 20 minutes on the London office Wi-Fi', 'In Progress', 'ada', 'grace', 'High'],
  ['NET', 'Task', 'Replace core switch in rack B3', 'To Do', 'ada', 'grace', 'Medium'],
  ['NET', 'Task', 'Renew TLS certificate for vpn.acme.test', 'To Do', 'ada', 'linus', 'Highest'],
  ['NET', 'Story', 'Self-service guest Wi-Fi vouchers', 'To Do', 'grace', 'grace', 'Low'],
  ['NET', 'Bug', 'Packet loss on the Frankfurt MPLS link', 'In Progress', 'linus', 'ada', 'High'],
  ['NET', 'Task', 'Document firewall change process', 'Done', 'ada', 'grace', 'Low'],
  ['NET', 'Task', 'Audit DNS records for retired hosts', 'To Do', null, 'grace', 'Medium'],
  ['NET', 'Bug', 'Printer VLAN unreachable from floor 3', 'To Do', 'linus', 'alan', 'Medium'],
  ['HELP', 'Task', 'Laptop for new hire in Sales', 'To Do', 'linus', 'margaret', 'Medium'],
  ['HELP', 'Bug', 'Outlook keeps asking for the password', 'In Progress', 'linus', 'alan', 'High'],
  ['HELP', 'Task', 'Access to the Q3 forecast folder', 'To Do', 'alan', 'alan', 'Low'],
  ['HELP', 'Task', 'Replace broken monitor at desk 4.12', 'Done', 'linus', 'ada', 'Low'],
  ['HELP', 'Bug', 'Slack notifications arrive late', 'To Do', 'ada', 'ada', 'Medium'],
  ['HELP', 'Task', 'Set up conference room display', 'To Do', null, 'margaret', 'Medium'],
  ['HELP', 'Task', 'Reset MFA for returning contractor', 'In Progress', 'grace', 'grace', 'High'],
  ['FIN', 'Task', 'Quarter-end close: reconcile vendor ledger', 'In Progress', 'linus', 'linus', 'High'],
  ['FIN', 'Bug', 'Expense export rounds currency wrongly', 'To Do', 'linus', 'grace', 'Highest'],
  ['FIN', 'Story', 'Budget dashboard for department heads', 'To Do', null, 'linus', 'Medium'],
];

/** Issues spread over people and states so each permission rule has something to show. */
export function seedIssues(startMs: number): { issues: SandboxIssue[]; counters: Map<string, number>; nextId: number } {
  const counters = new Map<string, number>();
  const issues: SandboxIssue[] = [];
  let nextId = 10100;
  ROWS.forEach(([project, type, summary, status, assignee, reporter, priority], i) => {
    const number = (counters.get(project) ?? 0) + 1;
    counters.set(project, number);
    const at = startMs - (ROWS.length - i) * 3_600_000;
    issues.push({
      id: String(nextId++), key: `${project}-${number}`, projectKey: project, issueType: type, summary,
      description: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: `${summary}. Reported through the service desk.` }] }] },
      priority, statusId: STATUSES.find((s) => s.name === status)?.id ?? '10000', reporterId: idOf(reporter),
      assigneeId: assignee ? idOf(assignee) : null, labels: [], created: at, updated: at, properties: new Map(), comments: [],
    });
  });
  return { issues, counters, nextId };
}
