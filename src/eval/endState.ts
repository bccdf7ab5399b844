import type { EndState } from './scenario.js';

/** One sandbox's read-only record view: collection name → rows (GET /__sandbox/records/:collection). */
export type SandboxRecords = Record<string, readonly Record<string, unknown>[]>;
/** Every sandbox's records, by system. */
export type RecordsBySystem = Record<string, SandboxRecords>;

export interface EndStateVerdict {
  readonly pass: boolean;
  readonly detail?: string;
}

type Fields = Record<string, string | number | boolean>;

/** A row's identity across snapshots: the vendor's own id field, falling back to its position. */
function identityOf(row: Record<string, unknown>, index: number): string {
  for (const key of ['sys_id', 'Id', 'id', 'key']) {
    const value = row[key];
    if (typeof value === 'string' || typeof value === 'number') return `${key}:${value}`;
  }
  return `#${index}`;
}

function valueAt(row: unknown, path: string): unknown {
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A field as the vendor stores it: top level, or under Jira's `fields`. Objects compare by their name/value/key. */
function fieldOf(row: Record<string, unknown>, path: string): string | undefined {
  const raw = valueAt(row, path) ?? valueAt(row, `fields.${path}`);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'object') {
    for (const key of ['name', 'value', 'key', 'displayName', 'emailAddress']) {
      const inner = (raw as Record<string, unknown>)[key];
      if (typeof inner === 'string' || typeof inner === 'number') return String(inner);
    }
    return JSON.stringify(raw);
  }
  return String(raw as string | number | boolean);
}

/** Same comparison as the plan judge: case-insensitive, a leading "~" means "contains". */
export function fieldsMatch(row: Record<string, unknown>, fields: Fields): boolean {
  return Object.entries(fields).every(([path, expected]) => {
    const actual = fieldOf(row, path)?.toLowerCase();
    if (actual === undefined) return false;
    const want = String(expected).toLowerCase();
    return want.startsWith('~') ? actual.includes(want.slice(1)) : actual === want;
  });
}

/** Rows that are new (created) or differ from their earlier version (changed) between two snapshots. */
export function recordDiff(before: readonly Record<string, unknown>[], after: readonly Record<string, unknown>[]): { created: Record<string, unknown>[]; changed: Record<string, unknown>[] } {
  const earlier = new Map(before.map((row, i) => [identityOf(row, i), JSON.stringify(row)]));
  const created: Record<string, unknown>[] = [];
  const changed: Record<string, unknown>[] = [];
  after.forEach((row, i) => {
    const previous = earlier.get(identityOf(row, i));
    if (previous === undefined) created.push(row);
    else if (previous !== JSON.stringify(row)) changed.push(row);
  });
  return { created, changed };
}

/**
 * Checks a scenario's expected end state against the sandboxes' records before and after it ran and
 * the approvals it requested. Each expected record needs its own matching row (two expected creates
 * need two rows); nothing beyond the expectation is required to be absent.
 */
export function checkEndState(expected: EndState, before: RecordsBySystem, after: RecordsBySystem, approvalsRequested: number): EndStateVerdict {
  const problems: string[] = [];
  for (const mode of ['created', 'changed'] as const) {
    const used = new Set<Record<string, unknown>>();
    for (const want of expected[mode]) {
      const diff = recordDiff(before[want.system]?.[want.kind] ?? [], after[want.system]?.[want.kind] ?? []);
      const match = diff[mode].find((row) => !used.has(row) && fieldsMatch(row, want.fields));
      if (match) used.add(match);
      else problems.push(`no ${want.system} ${want.kind} ${mode} with ${JSON.stringify(want.fields)} (${diff[mode].length} ${mode})`);
    }
  }
  if (expected.unchanged) {
    for (const [system, collections] of Object.entries(after)) {
      for (const [kind, rows] of Object.entries(collections)) {
        const diff = recordDiff(before[system]?.[kind] ?? [], rows);
        if (diff.created.length + diff.changed.length > 0) problems.push(`expected no change, but ${system} ${kind} has ${diff.created.length} created and ${diff.changed.length} changed`);
      }
    }
  }
  if (expected.approvalsRequested !== undefined && expected.approvalsRequested !== approvalsRequested) {
    problems.push(`expected ${expected.approvalsRequested} approval request(s), saw ${approvalsRequested}`);
  }
  return problems.length === 0 ? { pass: true } : { pass: false, detail: problems.join('; ') };
}
