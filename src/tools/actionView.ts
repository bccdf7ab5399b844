import { z } from 'zod';

/**
 * What an approver sees of an action, built once from the tool call that will run and rendered by
 * every surface (Slack, Teams, web). Values are the raw argument text: each renderer escapes them
 * for its own format, so nothing here is markup.
 */
export interface ActionField {
  readonly label: string;
  /** The complete value; never shortened here. */
  readonly value: string;
  /** Long or multi-line: surfaces show a preview and keep the whole text behind "Show details". */
  readonly long?: boolean;
}

/** The account the action runs as, in the system it runs in ("as ada@acme.test in Okta"). */
export interface ActingIdentity {
  readonly system: string;
  readonly account: string;
  /** The account the action lands on, when it is not the acting account. */
  readonly target?: string;
}

export interface ActionView {
  /** The tool's own one-line description of the call (`describe`). */
  readonly headline: string;
  /** Every argument of the call, in argument order. */
  readonly fields: readonly ActionField[];
  readonly actingAs?: ActingIdentity;
}

export const actionViewSchema = z.object({
  headline: z.string(),
  fields: z.array(z.object({ label: z.string(), value: z.string(), long: z.boolean().optional() })),
  actingAs: z.object({ system: z.string(), account: z.string(), target: z.string().optional() }).optional(),
});

/** Longer than this, or spanning lines, a value is folded behind "Show details". */
export const FIELD_PREVIEW_MAX = 120;

/** "short_description" → "Short description", "closeNotes" → "Close notes". */
export function humanLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words.length === 0 ? key : words[0]!.toUpperCase() + words.slice(1);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function field(label: string, value: string): ActionField {
  return value.length > FIELD_PREVIEW_MAX || /[\r\n]/.test(value) ? { label, value, long: true } : { label, value };
}

function collect(label: string, value: unknown, out: ActionField[], depth: number): void {
  if (Array.isArray(value)) {
    if (value.length === 0) return void out.push(field(label, '(none)'));
    if (value.every((item) => item === null || typeof item !== 'object')) {
      return void out.push(field(label, value.map(scalarText).join(value.length > 1 ? '\n' : '')));
    }
    value.forEach((item, index) => collect(`${label} ${index + 1}`, item, out, depth + 1));
    return;
  }
  if (value !== null && typeof value === 'object' && depth < 6) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return void out.push(field(label, '(none)'));
    // Keys of nested maps (catalog variables, custom fields) are data too, kept as written.
    for (const [key, inner] of entries) collect(`${label} › ${key}`, inner, out, depth + 1);
    return;
  }
  out.push(field(label, scalarText(value)));
}

/** One field per argument (nested maps and lists flattened), so no argument can be left off the card. */
export function actionFields(args: unknown): ActionField[] {
  const out: ActionField[] = [];
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    if (args !== undefined) collect('Input', args, out, 0);
    return out;
  }
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (value === undefined) continue;
    collect(humanLabel(key), value, out, 0);
  }
  return out;
}

export function buildActionView(input: { headline: string; args: unknown; actingAs?: ActingIdentity }): ActionView {
  return { headline: input.headline, fields: actionFields(input.args), ...(input.actingAs ? { actingAs: input.actingAs } : {}) };
}

/** The first line of a value, shortened: what a card shows before "Show details". */
export function fieldPreview(value: string, max = FIELD_PREVIEW_MAX): string {
  const firstLine = value.split(/\r\n|\r|\n/, 1)[0] ?? '';
  const cut = firstLine.length > max ? `${firstLine.slice(0, max - 1)}…` : firstLine;
  return cut.length < value.length ? (cut.endsWith('…') ? cut : `${cut} …`) : cut;
}

/** "as ada@acme.test in Okta", plus the target account when it is someone else's. */
export function actingLine(acting: ActingIdentity): string {
  return `as ${acting.account} in ${acting.system}${acting.target && acting.target !== acting.account ? `, on the account ${acting.target}` : ''}`;
}
