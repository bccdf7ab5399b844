import type { DemoPerson } from '../../shared/demoOrg.js';
import { OktaSandboxState, SEED_PEOPLE, type GroupType, type SandboxFactor, type UserStatus } from './state.js';

type Key = DemoPerson['key'] | 'svc';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Okta-looking ids (`00u…`, `00g…`, `0oa…`), reproducible from the sandbox seed. */
export function idMaker(random: () => number): (prefix: string) => string {
  return (prefix) => {
    let id = prefix;
    while (id.length < 20) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
    return id;
  };
}

const GROUPS: readonly { name: string; description: string; type: GroupType; members: readonly Key[] }[] = [
  { name: 'Everyone', description: 'All users in your organization', type: 'BUILT_IN', members: ['ada', 'alan', 'grace', 'linus', 'margaret', 'svc'] },
  { name: 'Engineering', description: 'Engineering and IT staff', type: 'OKTA_GROUP', members: ['ada', 'grace', 'linus'] },
  { name: 'VPN Users', description: 'May connect to the corporate VPN', type: 'OKTA_GROUP', members: ['grace', 'linus'] },
  { name: 'Salesforce Users', description: 'Salesforce licence holders', type: 'OKTA_GROUP', members: ['alan', 'margaret', 'linus'] },
  { name: 'Sales', description: 'Sales organisation', type: 'OKTA_GROUP', members: ['alan', 'margaret'] },
  { name: 'Okta Admins', description: 'Members hold the Okta Super Administrator role', type: 'OKTA_GROUP', members: ['linus', 'svc'] },
  { name: 'Domain Users', description: 'Imported from Active Directory (acme.test)', type: 'APP_GROUP', members: ['ada', 'alan', 'grace', 'linus', 'margaret'] },
];

const APPS: readonly { name: string; label: string; signOnMode: 'SAML_2_0' | 'OPENID_CONNECT' | 'BOOKMARK'; groups: readonly string[] }[] = [
  { name: 'slack', label: 'Slack', signOnMode: 'SAML_2_0', groups: ['Everyone'] },
  { name: 'servicenow_ud', label: 'ServiceNow', signOnMode: 'SAML_2_0', groups: ['Everyone'] },
  { name: 'atlassian', label: 'Jira', signOnMode: 'SAML_2_0', groups: ['Engineering', 'Sales'] },
  { name: 'salesforce', label: 'Salesforce', signOnMode: 'SAML_2_0', groups: ['Salesforce Users'] },
  { name: 'githubcloud', label: 'GitHub', signOnMode: 'SAML_2_0', groups: ['Engineering'] },
  { name: 'bookmark', label: 'GitHub Status', signOnMode: 'BOOKMARK', groups: [] },
];

const STATUS: Partial<Record<Key, UserStatus>> = { ada: 'LOCKED_OUT' };

const FACTORS: Record<Key, readonly SandboxFactor['factorType'][]> = {
  ada: ['push', 'sms'],
  alan: ['push'],
  grace: ['push', 'token:software:totp'],
  linus: ['push', 'token:software:totp', 'sms'],
  margaret: ['sms'],
  svc: [],
};

const FACTOR_PREFIX: Record<SandboxFactor['factorType'], string> = { push: 'opf', sms: 'mbl', 'token:software:totp': 'uft', question: 'ufs' };

export function seedState(state: OktaSandboxState, random: () => number, now: Date): void {
  const newId = idMaker(random);
  const day = 86_400_000;
  const at = (daysAgo: number): string => new Date(now.getTime() - daysAgo * day).toISOString().replace(/\.\d{3}Z$/, '.000Z');
  const ids = new Map<Key, string>();

  SEED_PEOPLE.forEach((person, index) => {
    const id = newId('00u');
    ids.set(person.key as Key, id);
    const status = STATUS[person.key as Key] ?? 'ACTIVE';
    state.users.set(id, {
      id,
      status,
      created: at(400 - index),
      activated: at(399 - index),
      statusChanged: status === 'ACTIVE' ? at(399 - index) : at(0.01),
      lastLogin: at(1 + index * 0.1),
      lastUpdated: at(2),
      passwordChanged: at(60 + index),
      profile: {
        login: person.email,
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        title: person.title,
        department: person.department,
        mobilePhone: `+1-555-0100-${String(index).padStart(3, '0')}`,
      },
      admin: person.oktaAdmin,
    });
    const factors = FACTORS[person.key as Key].map((factorType, n): SandboxFactor => ({
      id: newId(FACTOR_PREFIX[factorType]),
      factorType,
      provider: factorType === 'token:software:totp' && n > 1 ? 'GOOGLE' : 'OKTA',
      vendorName: 'OKTA',
      created: at(100 - n),
      profile: factorType === 'sms'
        ? { phoneNumber: `+1-555-0100-${String(index).padStart(3, '0')}` }
        : factorType === 'push'
          ? { name: `${person.firstName}'s iPhone`, platform: 'IOS', version: '17.4' }
          : { credentialId: person.email },
    }));
    state.factors.set(id, factors);
  });

  const groupIds = new Map<string, string>();
  for (const group of GROUPS) {
    const id = newId('00g');
    groupIds.set(group.name, id);
    state.groups.set(id, {
      id,
      type: group.type,
      name: group.name,
      description: group.description,
      created: at(500),
      lastUpdated: at(30),
      lastMembershipUpdated: at(3),
      members: new Set(group.members.map((key) => ids.get(key) ?? '')),
    });
  }

  for (const app of APPS) {
    const id = newId('0oa');
    state.apps.set(id, {
      id,
      name: app.name,
      label: app.label,
      signOnMode: app.signOnMode,
      created: at(450),
      groupIds: new Set(app.groups.map((name) => groupIds.get(name) ?? '')),
      users: new Map(),
    });
  }
}
