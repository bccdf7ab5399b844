import type { Row, ServiceNowSandboxState } from './state.js';

/**
 * The access rules the sandbox enforces, after a default ITSM instance: employees read incidents
 * they are the caller of and their own requests; itil reads and updates any incident; closing
 * needs admin or itil_admin; work notes need itil.
 */
export class Acl {
  constructor(private readonly state: ServiceNowSandboxState, readonly userId: string) {}

  has(role: string): boolean {
    const roles = this.state.rolesOf(this.userId);
    return roles.includes('admin') || roles.includes(role);
  }

  get isItil(): boolean {
    return this.has('itil');
  }

  canRead(table: string, row: Row): boolean {
    switch (table) {
      case 'incident': return this.isItil || row['caller_id'] === this.userId;
      case 'sc_request':
      case 'sc_req_item': return this.isItil || row['requested_for'] === this.userId || row['opened_by'] === this.userId;
      case 'sc_cat_item': return row['active'] === 'true' && this.mayOrder(row);
      case 'sys_journal_field': {
        const parent = this.state.get(row['name'] ?? '', row['element_id'] ?? '');
        if (!parent || !this.canRead(row['name'] ?? '', parent)) return false;
        return row['element'] !== 'work_notes' || this.isItil;
      }
      default: return true;
    }
  }

  mayOrder(item: Row): boolean {
    const roles = (item['roles'] ?? '').split(',').filter(Boolean);
    return roles.length === 0 || roles.some((r) => this.has(r));
  }

  /** Which of `fields` this user may not write on `row`; empty means allowed. */
  deniedFields(table: string, row: Row, fields: Record<string, string>): string[] {
    const names = Object.keys(fields);
    if (table === 'sc_req_item') return this.isItil ? [] : names.filter((f) => f !== 'comments');
    if (table !== 'incident') return this.has('admin') ? [] : names;
    const isCaller = row['caller_id'] === this.userId;
    return names.filter((field) => {
      if (field === 'work_notes' || field === 'assigned_to' || field === 'assignment_group') return !this.isItil;
      if (field === 'state' && ['7', '8'].includes(fields[field] ?? '')) return !(this.has('itil_admin') || this.has('admin'));
      return !(this.isItil || isCaller);
    });
  }
}
