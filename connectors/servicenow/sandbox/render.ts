import { TABLES } from './dictionary.js';
import type { Row, ServiceNowSandboxState } from './state.js';

/**
 * How the Table API shapes a record: `sysparm_display_value` false (raw; references
 * `{link,value}`), true (labels; references `{display_value,link}`) or all (`{display_value,value}`
 * on every column), `sysparm_exclude_reference_link` and `sysparm_fields`.
 */
export type DisplayMode = 'false' | 'true' | 'all';

export interface RenderOptions {
  readonly mode: DisplayMode;
  readonly excludeLink: boolean;
  readonly fields?: readonly string[];
  readonly base: string;
}

export function renderOptions(query: URLSearchParams, base: string): RenderOptions {
  const raw = (query.get('sysparm_display_value') ?? 'false').toLowerCase();
  const fields = query.get('sysparm_fields')?.split(',').map((f) => f.trim()).filter(Boolean);
  return {
    mode: raw === 'true' || raw === 'all' ? raw : 'false',
    excludeLink: query.get('sysparm_exclude_reference_link') === 'true',
    ...(fields && fields.length > 0 ? { fields } : {}),
    base,
  };
}

export function renderRow(state: ServiceNowSandboxState, table: string, row: Row, options: RenderOptions): Record<string, unknown> {
  const def = TABLES[table];
  const columns = options.fields ?? def?.columns ?? Object.keys(row);
  const out: Record<string, unknown> = {};
  for (const field of columns) {
    if (!def?.columns.includes(field)) continue;
    out[field] = renderField(state, table, row, field, options);
  }
  return out;
}

function renderField(state: ServiceNowSandboxState, table: string, row: Row, field: string, options: RenderOptions): unknown {
  const def = TABLES[table];
  const value = row[field] ?? '';
  if (def?.journal.includes(field)) {
    const history = options.mode === 'false' ? '' : journalHistory(state, row['sys_id'] ?? '', field);
    return options.mode === 'all' ? { display_value: history, value: '' } : history;
  }
  const refTable = def?.references[field];
  if (refTable) {
    const target = value ? state.get(refTable, value) : undefined;
    const display = target?.[TABLES[refTable]?.displayField ?? 'sys_id'] ?? '';
    const link = `${options.base}/api/now/table/${refTable}/${value}`;
    if (options.mode === 'false') return value === '' || options.excludeLink ? value : { link, value };
    if (options.mode === 'true') return value === '' || options.excludeLink ? display : { display_value: display, link };
    return value === '' || options.excludeLink ? { display_value: display, value } : { display_value: display, value, link };
  }
  const label = def?.choices[field]?.[value] ?? value;
  if (options.mode === 'false') return value;
  if (options.mode === 'true') return label;
  return { display_value: label, value };
}

/** What a journal column shows with display values: newest entry first, one block per entry. */
function journalHistory(state: ServiceNowSandboxState, elementId: string, element: string): string {
  const label = element === 'comments' ? 'Additional comments' : 'Work notes';
  return state.journalOf(elementId, element)
    .sort((a, b) => (a['sys_created_on'] ?? '') < (b['sys_created_on'] ?? '') ? 1 : -1)
    .map((j) => {
      const author = state.rows('sys_user').find((u) => u['user_name'] === j['sys_created_by'])?.['name'] ?? j['sys_created_by'];
      return `${j['sys_created_on']} - ${author} (${label})\n${j['value']}\n\n`;
    })
    .join('');
}
