import { TABLES } from './dictionary.js';

/** Every Table API value is a string, so rows are kept the way the instance returns them. */
export type Row = Record<string, string>;

export interface TokenRecord {
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  expiresAt: number;
}

export interface CodeRecord {
  readonly userId: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly challenge: string;
  readonly expiresAt: number;
  used: boolean;
}

/** Catalog item variables (item_option_new), served by the Service Catalog API's item detail. */
export interface CatalogVariable {
  readonly name: string;
  readonly label: string;
  /** item_option_new type: 6 single line text, 5 select box, 7 check box, 2 multi-line text. */
  readonly type: number;
  readonly mandatory: boolean;
  readonly defaultValue: string;
  readonly choices?: readonly { value: string; label: string }[];
}

/** One sandbox instance's data; nothing is shared between instances. */
export class ServiceNowSandboxState {
  readonly tables = new Map<string, Map<string, Row>>(Object.keys(TABLES).map((name) => [name, new Map<string, Row>()]));
  readonly catalogVariables = new Map<string, readonly CatalogVariable[]>();
  readonly accessTokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, TokenRecord>();
  readonly codes = new Map<string, CodeRecord>();
  readonly numbers = { incident: 10000, sc_request: 10000, sc_req_item: 10000 };
  /** Requests counted per user for the hourly rate-limit rule. */
  readonly hourlyCalls = new Map<string, { window: number; count: number }>();
  /** Writes whose response the sandbox dropped after applying them (fault injection). */
  lostResponses: { count: number; method?: string; pathPrefix?: string } = { count: 0 };

  table(name: string): Map<string, Row> {
    const table = this.tables.get(name);
    if (!table) throw new Error(`no sandbox table ${name}`);
    return table;
  }

  rows(name: string): Row[] {
    return [...this.table(name).values()];
  }

  get(name: string, sysId: string): Row | undefined {
    return this.tables.get(name)?.get(sysId);
  }

  insert(name: string, row: Row): Row {
    const sysId = row['sys_id'];
    if (!sysId) throw new Error('row without sys_id');
    this.table(name).set(sysId, row);
    return row;
  }

  nextNumber(table: 'incident' | 'sc_request' | 'sc_req_item'): string {
    this.numbers[table] += 1;
    const prefix = table === 'incident' ? 'INC' : table === 'sc_request' ? 'REQ' : 'RITM';
    return `${prefix}${String(this.numbers[table]).padStart(7, '0')}`;
  }

  userByEmail(email: string): Row | undefined {
    return this.rows('sys_user').find((u) => u['email']?.toLowerCase() === email.toLowerCase());
  }

  rolesOf(userId: string): string[] {
    return (this.get('sys_user', userId)?.['roles'] ?? '').split(',').filter(Boolean);
  }

  /** Test helpers: side effects counted on the sandbox's own data. */
  count(table: string, where: (row: Row) => boolean = () => true): number {
    return this.rows(table).filter(where).length;
  }

  incidentByNumber(number: string): Row | undefined {
    return this.rows('incident').find((r) => r['number'] === number);
  }

  journalOf(elementId: string, element = 'comments'): Row[] {
    return this.rows('sys_journal_field').filter((j) => j['element_id'] === elementId && j['element'] === element);
  }
}
