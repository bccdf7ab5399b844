import { DEMO_PEOPLE, type DemoPerson } from '../../shared/demoOrg.js';
import { OPPORTUNITY_STAGES } from './model.js';
import type { SalesforceSandboxState, SfRow } from './state.js';

/**
 * The demo org: the five demo people as Salesforce users (profile from demoOrg.ts) and a book of
 * business owned by alan (Standard User) and margaret (System Administrator), so sharing differences
 * show: alan sees only his rows, ada sees only the case she logged, linus and margaret see everything.
 */
export function seedState(state: SalesforceSandboxState, random: () => number): void {
  const ids = new Map<DemoPerson['key'], string>();
  for (const person of DEMO_PEOPLE) {
    const id = state.newId('User');
    ids.set(person.key, id);
    state.users.push({ id, email: person.email, username: person.email, firstName: person.firstName, lastName: person.lastName, profile: person.salesforceProfile });
    state.table('User').set(id, {
      Id: id, Name: `${person.firstName} ${person.lastName}`, FirstName: person.firstName, LastName: person.lastName,
      Email: person.email, Username: person.email, Title: person.title, IsActive: true,
      CreatedDate: '2024-01-08T09:00:00.000+0000', LastModifiedDate: '2024-01-08T09:00:00.000+0000', IsDeleted: false,
    });
  }
  const owner = (key: DemoPerson['key']): string => ids.get(key) ?? '';
  const seedRow = (object: 'Account' | 'Opportunity' | 'Case' | 'Contact', who: DemoPerson['key'], values: SfRow): string => {
    const row = state.insert(object, values, owner(who));
    state.writes.length = 0;
    return String(row['Id']);
  };

  const accounts: [string, DemoPerson['key'], string, string, string][] = [
    ['ACME Corp', 'alan', 'Manufacturing', 'Customer - Direct', 'Chicago'],
    ['Globex', 'alan', 'Energy', 'Customer - Direct', 'Springfield'],
    ['Initech', 'margaret', 'Technology', 'Prospect', 'Austin'],
    ['Umbrella Corporation', 'margaret', 'Manufacturing', 'Customer - Channel', 'Raccoon City'],
    ['Stark Industries', 'margaret', 'Technology', 'Customer - Direct', 'New York'],
    ['Wayne Enterprises', 'alan', 'Finance', 'Prospect', 'Gotham'],
  ];
  const accountIds = new Map<string, string>();
  for (const [name, who, industry, type, city] of accounts) {
    accountIds.set(name, seedRow('Account', who, {
      Name: name, Industry: industry, Type: type, BillingCity: city, Phone: `+1 555 01${Math.floor(random() * 90 + 10)}`,
      Website: `https://www.${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`, AnnualRevenue: Math.round(random() * 90 + 10) * 1_000_000,
    }));
  }
  const account = (name: string): string => accountIds.get(name) ?? '';

  const opportunities: [string, string, DemoPerson['key'], string, number, string][] = [
    ['ACME Corp - Fleet Renewal', 'ACME Corp', 'alan', 'Negotiation/Review', 250_000, '2026-03-31'],
    ['ACME Corp - Network Upgrade', 'ACME Corp', 'alan', 'Prospecting', 80_000, '2026-06-30'],
    ['Globex - Platform Expansion', 'Globex', 'alan', 'Proposal/Price Quote', 420_000, '2026-04-15'],
    ['Wayne Enterprises - Security Audit', 'Wayne Enterprises', 'alan', 'Qualification', 60_000, '2026-05-31'],
    ['Initech - TPS Automation', 'Initech', 'margaret', 'Value Proposition', 150_000, '2026-05-01'],
    ['Umbrella - Cold Storage', 'Umbrella Corporation', 'margaret', 'Closed Won', 310_000, '2025-11-30'],
    ['Stark Industries - Arc Reactor Telemetry', 'Stark Industries', 'margaret', 'Closed Lost', 900_000, '2025-10-15'],
  ];
  for (const [name, acct, who, stage, amount, closeDate] of opportunities) {
    const meta = OPPORTUNITY_STAGES.find((s) => s.value === stage);
    seedRow('Opportunity', who, {
      Name: name, AccountId: account(acct), StageName: stage, Amount: amount, CloseDate: closeDate,
      Probability: meta?.probability ?? 0, IsClosed: meta?.closed ?? false, IsWon: meta?.won ?? false,
    });
  }

  const cases: [string, string | null, DemoPerson['key'], string, string, string][] = [
    ['Shipment delayed at customs', 'ACME Corp', 'alan', 'Working', 'High', 'Email'],
    ['Invoice shows wrong PO number', 'Globex', 'alan', 'New', 'Medium', 'Web'],
    ['Portal login fails for new admin', 'Initech', 'margaret', 'Escalated', 'High', 'Phone'],
    ['Request for updated W-9', 'Umbrella Corporation', 'margaret', 'Closed', 'Low', 'Email'],
    ['VPN drops when connecting to customer demo org', null, 'ada', 'New', 'Medium', 'Web'],
  ];
  for (const [subject, acct, who, status, priority, origin] of cases) {
    seedRow('Case', who, {
      Subject: subject, Description: `${subject}.`, Status: status, Priority: priority, Origin: origin,
      AccountId: acct ? account(acct) : null, IsClosed: status === 'Closed', Switchboard_Key__c: null,
    });
  }

  // Contacts come last so the ids of everything seeded before them stay as they were.
  const contacts: [string, string, string, string, string, DemoPerson['key']][] = [
    ['Wile', 'Coyote', 'Head of Procurement', 'wile.coyote@acme.example', 'ACME Corp', 'alan'],
    ['Road', 'Runner', 'IT Director', 'road.runner@acme.example', 'ACME Corp', 'alan'],
    ['Hank', 'Scorpio', 'CEO', 'hank@globex.example', 'Globex', 'alan'],
    ['Peter', 'Gibbons', 'Software Engineer', 'peter.gibbons@initech.example', 'Initech', 'margaret'],
    ['Pepper', 'Potts', 'CEO', 'pepper.potts@stark.example', 'Stark Industries', 'margaret'],
  ];
  for (const [first, last, title, email, acct, who] of contacts) {
    seedRow('Contact', who, { FirstName: first, LastName: last, Title: title, Email: email, Phone: `+1 555 02${Math.floor(random() * 90 + 10)}`, AccountId: account(acct) });
  }
}
