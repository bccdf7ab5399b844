import { caseSafeId, objectDef, OBJECTS, type FieldValue, type SfObjectName } from './model.js';

export type SfRow = Record<string, FieldValue>;

export interface SandboxUser {
  readonly id: string;
  readonly email: string;
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly profile: 'Standard User' | 'System Administrator';
}

export interface AccessTokenRecord { readonly userId: string; readonly clientId: string; readonly scope: string; expiresAt: number }
export interface RefreshTokenRecord { readonly userId: string; readonly clientId: string; readonly scope: string; revoked: boolean }
export interface AuthCodeRecord {
  readonly userId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly scope: string;
  readonly expiresAt: number;
  used: boolean;
}
export interface QueryCursor { readonly userId: string; readonly rows: readonly Record<string, unknown>[]; readonly totalSize: number }

/**
 * Everything one sandbox instance holds, in memory. Tests read it directly to count side effects
 * (`rows('Case')`, `writes`) instead of trusting what the API said.
 */
export class SalesforceSandboxState {
  readonly orgId: string;
  readonly users: SandboxUser[] = [];
  readonly records = new Map<SfObjectName, Map<string, SfRow>>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly authCodes = new Map<string, AuthCodeRecord>();
  readonly cursors = new Map<string, QueryCursor>();
  /** Every committed create/update/upsert, in order: the ground truth for "never doubled". */
  readonly writes: { readonly object: SfObjectName; readonly id: string; readonly kind: 'create' | 'update'; readonly userId: string }[] = [];
  apiUsage = 0;
  dailyApiLimit: number;
  /** Added to the wall clock, so tests can let an access token's hour pass instantly. */
  clockOffsetMs = 0;
  private counter = 0;
  private caseCounter = 1000;

  constructor(options: { dailyApiLimit: number }) {
    this.dailyApiLimit = options.dailyApiLimit;
    this.orgId = caseSafeId('00D5g00000SwBrd');
    for (const name of Object.keys(OBJECTS) as SfObjectName[]) this.records.set(name, new Map());
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  newId(object: SfObjectName): string {
    this.counter += 1;
    return caseSafeId(`${OBJECTS[object].keyPrefix}5g00000${this.counter.toString(36).toUpperCase().padStart(5, '0')}`);
  }

  nextCaseNumber(): string {
    this.caseCounter += 1;
    return String(this.caseCounter).padStart(8, '0');
  }

  table(object: SfObjectName): Map<string, SfRow> {
    const table = this.records.get(object);
    if (!table) throw new Error(`no table ${object}`);
    return table;
  }

  rows(object: SfObjectName): SfRow[] {
    return [...this.table(object).values()];
  }

  /** Finds a record by 15- or 18-character id, as Salesforce accepts both. */
  find(object: SfObjectName, id: string): SfRow | undefined {
    const table = this.table(object);
    const exact = table.get(id);
    if (exact) return exact;
    if (id.length === 15) for (const [key, row] of table) if (key.startsWith(id)) return row;
    return undefined;
  }

  findAnywhere(id: string): { object: SfObjectName; row: SfRow } | undefined {
    for (const object of Object.keys(OBJECTS) as SfObjectName[]) {
      const row = this.find(object, id);
      if (row) return { object, row };
    }
    return undefined;
  }

  userById(id: string): SandboxUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  userByEmail(email: string): SandboxUser | undefined {
    return this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  isAdmin(userId: string): boolean {
    return this.userById(userId)?.profile === 'System Administrator';
  }

  /** Sharing: a Standard User sees owned objects only when they own the record. */
  canSee(userId: string, object: SfObjectName, row: SfRow): boolean {
    if (object === 'CaseComment') {
      const parent = this.find('Case', String(row['ParentId'] ?? ''));
      return parent !== undefined && this.canSee(userId, 'Case', parent);
    }
    if (!OBJECTS[object].owned || this.isAdmin(userId)) return true;
    return row['OwnerId'] === userId;
  }

  insert(object: SfObjectName, values: SfRow, userId: string): SfRow {
    const stamp = new Date(this.now()).toISOString().replace('Z', '+0000');
    const row: SfRow = { Id: this.newId(object), OwnerId: userId, CreatedDate: stamp, LastModifiedDate: stamp, IsDeleted: false, ...values };
    if (object === 'Case') row['CaseNumber'] = this.nextCaseNumber();
    if (object === 'Contact') row['Name'] = [row['FirstName'], row['LastName']].filter((p) => typeof p === 'string' && p).join(' ');
    if (object === 'CaseComment') {
      row['CreatedById'] = userId;
      delete row['OwnerId'];
    }
    this.table(object).set(String(row['Id']), row);
    this.writes.push({ object, id: String(row['Id']), kind: 'create', userId });
    return row;
  }

  update(object: SfObjectName, row: SfRow, values: SfRow, userId: string): void {
    Object.assign(row, values, { LastModifiedDate: new Date(this.now()).toISOString().replace('Z', '+0000') });
    this.writes.push({ object, id: String(row['Id']), kind: 'update', userId });
  }

  isObject(name: string): name is SfObjectName {
    return objectDef(name)?.name === name;
  }
}
