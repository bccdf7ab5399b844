/**
 * The sObjects the sandbox serves, described the way `/sobjects/{name}/describe` reports them. The
 * SOQL engine, the record routes and describe all read this one table, so they cannot disagree.
 */
export type FieldType = 'id' | 'string' | 'textarea' | 'picklist' | 'reference' | 'currency' | 'percent' | 'date' | 'datetime' | 'boolean' | 'email' | 'phone' | 'url';
export type FieldValue = string | number | boolean | null;
export type SfObjectName = 'Account' | 'Opportunity' | 'Case' | 'User' | 'Contact' | 'CaseComment';

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly picklist?: readonly string[];
  /** For reference fields: the parent object and the relationship name used in SOQL (`Account.Name`). */
  readonly referenceTo?: SfObjectName;
  readonly relationshipName?: string;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly externalId?: boolean;
}

export interface ObjectDef {
  readonly name: SfObjectName;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDef[];
  /** Owned objects are filtered by OwnerId for Standard Users. */
  readonly owned: boolean;
}

/** The standard Opportunity StageName picklist with its default probabilities. */
export const OPPORTUNITY_STAGES: readonly { readonly value: string; readonly probability: number; readonly closed: boolean; readonly won: boolean }[] = [
  { value: 'Prospecting', probability: 10, closed: false, won: false },
  { value: 'Qualification', probability: 10, closed: false, won: false },
  { value: 'Needs Analysis', probability: 20, closed: false, won: false },
  { value: 'Value Proposition', probability: 50, closed: false, won: false },
  { value: 'Id. Decision Makers', probability: 60, closed: false, won: false },
  { value: 'Perception Analysis', probability: 70, closed: false, won: false },
  { value: 'Proposal/Price Quote', probability: 75, closed: false, won: false },
  { value: 'Negotiation/Review', probability: 90, closed: false, won: false },
  { value: 'Closed Won', probability: 100, closed: true, won: true },
  { value: 'Closed Lost', probability: 0, closed: true, won: false },
];

export const CASE_STATUSES = ['New', 'Working', 'Escalated', 'Closed'] as const;

const system = (name: string, label: string, type: FieldType): FieldDef => ({ name, label, type, createable: false, updateable: false });
const editable = (name: string, label: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name, label, type, createable: true, updateable: true, ...extra });
const owner = editable('OwnerId', 'Owner ID', 'reference', { referenceTo: 'User', relationshipName: 'Owner' });
const audit = [system('CreatedDate', 'Created Date', 'datetime'), system('LastModifiedDate', 'Last Modified Date', 'datetime'), system('IsDeleted', 'Deleted', 'boolean')];

export const OBJECTS: Readonly<Record<SfObjectName, ObjectDef>> = {
  Account: {
    name: 'Account', label: 'Account', labelPlural: 'Accounts', keyPrefix: '001', owned: true,
    fields: [
      system('Id', 'Account ID', 'id'), editable('Name', 'Account Name', 'string'),
      editable('Type', 'Account Type', 'picklist', { picklist: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'] }),
      editable('Industry', 'Industry', 'picklist', { picklist: ['Technology', 'Manufacturing', 'Finance', 'Energy', 'Retail', 'Consulting', 'Other'] }),
      editable('Phone', 'Account Phone', 'phone'), editable('Website', 'Website', 'url'), editable('BillingCity', 'Billing City', 'string'),
      editable('AnnualRevenue', 'Annual Revenue', 'currency'), owner, ...audit,
    ],
  },
  Opportunity: {
    name: 'Opportunity', label: 'Opportunity', labelPlural: 'Opportunities', keyPrefix: '006', owned: true,
    fields: [
      system('Id', 'Opportunity ID', 'id'), editable('Name', 'Name', 'string'),
      editable('AccountId', 'Account ID', 'reference', { referenceTo: 'Account', relationshipName: 'Account' }),
      editable('StageName', 'Stage', 'picklist', { picklist: OPPORTUNITY_STAGES.map((s) => s.value) }),
      editable('Amount', 'Amount', 'currency'), editable('CloseDate', 'Close Date', 'date'), editable('Probability', 'Probability (%)', 'percent'),
      system('IsClosed', 'Closed', 'boolean'), system('IsWon', 'Won', 'boolean'),
      editable('Switchboard_Key__c', 'Switchboard Key', 'string', { externalId: true }),
      owner, ...audit,
    ],
  },
  Case: {
    name: 'Case', label: 'Case', labelPlural: 'Cases', keyPrefix: '500', owned: true,
    fields: [
      system('Id', 'Case ID', 'id'), system('CaseNumber', 'Case Number', 'string'), editable('Subject', 'Subject', 'string'),
      editable('Description', 'Description', 'textarea'),
      editable('Status', 'Status', 'picklist', { picklist: CASE_STATUSES }),
      editable('Priority', 'Priority', 'picklist', { picklist: ['High', 'Medium', 'Low'] }),
      editable('Origin', 'Case Origin', 'picklist', { picklist: ['Phone', 'Email', 'Web', 'Switchboard'] }),
      editable('AccountId', 'Account ID', 'reference', { referenceTo: 'Account', relationshipName: 'Account' }),
      system('IsClosed', 'Closed', 'boolean'),
      editable('Switchboard_Key__c', 'Switchboard Key', 'string', { externalId: true }),
      owner, ...audit,
    ],
  },
  Contact: {
    name: 'Contact', label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', owned: true,
    fields: [
      system('Id', 'Contact ID', 'id'), system('Name', 'Full Name', 'string'), editable('FirstName', 'First Name', 'string'), editable('LastName', 'Last Name', 'string'),
      editable('Title', 'Title', 'string'), editable('Email', 'Email', 'email'), editable('Phone', 'Business Phone', 'phone'),
      editable('AccountId', 'Account ID', 'reference', { referenceTo: 'Account', relationshipName: 'Account' }), owner, ...audit,
    ],
  },
  /** Comments on a case; visible and writable with the case itself (no owner of their own). */
  CaseComment: {
    name: 'CaseComment', label: 'Case Comment', labelPlural: 'Case Comments', keyPrefix: '00a', owned: false,
    fields: [
      system('Id', 'Case Comment ID', 'id'),
      { name: 'ParentId', label: 'Parent ID', type: 'reference', referenceTo: 'Case', relationshipName: 'Parent', createable: true, updateable: false },
      editable('CommentBody', 'Body', 'textarea'), editable('IsPublished', 'Published', 'boolean'),
      { name: 'CreatedById', label: 'Created By ID', type: 'reference', referenceTo: 'User', relationshipName: 'CreatedBy', createable: false, updateable: false },
      ...audit,
    ],
  },
  User: {
    name: 'User', label: 'User', labelPlural: 'Users', keyPrefix: '005', owned: false,
    fields: [
      system('Id', 'User ID', 'id'), system('Name', 'Full Name', 'string'), system('FirstName', 'First Name', 'string'),
      system('LastName', 'Last Name', 'string'), system('Email', 'Email', 'email'), system('Username', 'Username', 'string'),
      system('Title', 'Title', 'string'), system('IsActive', 'Active', 'boolean'), ...audit,
    ],
  },
};

export function objectDef(name: string): ObjectDef | undefined {
  const key = Object.keys(OBJECTS).find((k) => k.toLowerCase() === name.toLowerCase()) as SfObjectName | undefined;
  return key ? OBJECTS[key] : undefined;
}

export function fieldDef(object: ObjectDef, name: string): FieldDef | undefined {
  return object.fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
}

export function relationshipDef(object: ObjectDef, relationship: string): FieldDef | undefined {
  return object.fields.find((f) => f.relationshipName?.toLowerCase() === relationship.toLowerCase());
}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character case-safe form: three checksum characters encode which of the 15 are upper case. */
export function caseSafeId(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}
