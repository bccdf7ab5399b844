/**
 * The demo organisation every sandbox seeds, so one employee is the same person in ServiceNow, Jira,
 * Salesforce and Okta (matched by email, as real SSO-provisioned systems are). tenants.example.yaml
 * lists the same people.
 */
export interface DemoPerson {
  readonly key: 'ada' | 'alan' | 'grace' | 'linus' | 'margaret';
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string;
  readonly department: string;
  /** Switchboard roles in the demo tenant. */
  readonly roles: readonly string[];
  readonly managerKey?: DemoPerson['key'];
  /** ServiceNow: itil may read and resolve any incident; admin everything. */
  readonly servicenowRoles: readonly string[];
  /** Jira project keys the person may browse; "*" is all. Administrators may transition and assign anything. */
  readonly jiraProjects: readonly string[];
  readonly jiraAdmin: boolean;
  /** Salesforce profile: a Standard User sees only records they own; System Administrator sees all. */
  readonly salesforceProfile: 'Standard User' | 'System Administrator';
  /** Okta: admins may manage other users; everyone may read their own profile, groups and apps. */
  readonly oktaAdmin: boolean;
}

export const DEMO_DOMAIN = 'acme.test';

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    key: 'ada', email: 'ada@acme.test', firstName: 'Ada', lastName: 'Lovelace', title: 'Network Engineer', department: 'IT Infrastructure',
    roles: ['employee'], managerKey: 'grace', servicenowRoles: [], jiraProjects: ['NET', 'HELP'], jiraAdmin: false,
    salesforceProfile: 'Standard User', oktaAdmin: false,
  },
  {
    key: 'alan', email: 'alan@acme.test', firstName: 'Alan', lastName: 'Turing', title: 'Account Executive', department: 'Sales',
    roles: ['employee'], managerKey: 'grace', servicenowRoles: [], jiraProjects: ['HELP'], jiraAdmin: false,
    salesforceProfile: 'Standard User', oktaAdmin: false,
  },
  {
    key: 'grace', email: 'grace@acme.test', firstName: 'Grace', lastName: 'Hopper', title: 'Engineering Manager', department: 'IT Infrastructure',
    roles: ['employee', 'manager', 'approver'], servicenowRoles: ['itil'], jiraProjects: ['*'], jiraAdmin: false,
    salesforceProfile: 'Standard User', oktaAdmin: false,
  },
  {
    key: 'linus', email: 'linus@acme.test', firstName: 'Linus', lastName: 'Torvalds', title: 'IT Administrator', department: 'IT Operations',
    roles: ['employee', 'it_admin', 'approver', 'admin'], managerKey: 'grace', servicenowRoles: ['itil', 'admin'], jiraProjects: ['*'], jiraAdmin: true,
    salesforceProfile: 'System Administrator', oktaAdmin: true,
  },
  {
    key: 'margaret', email: 'margaret@acme.test', firstName: 'Margaret', lastName: 'Hamilton', title: 'Sales Director', department: 'Sales',
    roles: ['employee', 'manager', 'approver'], servicenowRoles: [], jiraProjects: ['HELP'], jiraAdmin: false,
    salesforceProfile: 'System Administrator', oktaAdmin: false,
  },
];

export function demoPerson(key: DemoPerson['key']): DemoPerson {
  const person = DEMO_PEOPLE.find((p) => p.key === key);
  if (!person) throw new Error(`unknown demo person ${key}`);
  return person;
}

export function demoPersonByEmail(email: string): DemoPerson | undefined {
  return DEMO_PEOPLE.find((p) => p.email.toLowerCase() === email.toLowerCase());
}
