/**
 * Employee-facing text for a tool's output, built without a model: the progress line of a finished
 * step and tier 0's answers. Tool output is untrusted data, so every value is quoted, flattened to
 * one line and shortened.
 */
import type { ToolDefinition } from './tool.js';

const LIST_KEYS = ['items', 'results', 'records', 'incidents', 'issues', 'accounts', 'opportunities', 'cases', 'groups', 'apps', 'data'];
const ID_KEYS = ['number', 'key', 'Name', 'name', 'label', 'login', 'email', 'id'];
const TEXT_KEYS = ['short_description', 'summary', 'title', 'subject', 'description'];
const STATE_KEYS = ['state', 'status', 'StageName', 'stage', 'Status'];
const MAX_ITEMS = 5;

/** Quoted, one line, no markup, shortened: nothing a ticket says can format or instruct the reply. */
export function quoteData(value: unknown, max = 120): string {
  const text = String(value).replace(/\p{Cc}+/gu, ' ').replace(/[`*~<>|]/g, '')
    // An underscore inside a word (first_last@acme.test) formats nothing; at a word's edge it could.
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '').replace(/\s+/g, ' ').trim();
  return `“${text.length > max ? `${text.slice(0, max - 1)}…` : text}”`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const v = record[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (isRecord(v) && typeof v.name === 'string') return v.name;
  }
  return undefined;
}

function describeRecord(record: Record<string, unknown>): string {
  const nested = isRecord(record.profile) ? { ...record.profile, ...record } : record;
  const id = pick(nested, ID_KEYS);
  const text = pick(nested, TEXT_KEYS);
  const state = pick(nested, STATE_KEYS);
  const parts: string[] = [];
  if (id !== undefined) parts.push(String(id).length <= 40 ? String(id).replace(/[^\w@.+\- ]/g, '') : quoteData(id, 40));
  if (text !== undefined) parts.push(quoteData(text));
  if (state !== undefined) parts.push(`(${quoteData(state, 40)})`);
  return parts.length > 0 ? parts.join(' ') : quoteData(JSON.stringify(record), 100);
}

function findList(result: unknown): unknown[] | undefined {
  if (Array.isArray(result)) return result;
  if (!isRecord(result)) return undefined;
  for (const key of LIST_KEYS) {
    const v = result[key];
    if (Array.isArray(v)) return v;
    if (isRecord(v)) {
      const inner = findList(v);
      if (inner) return inner;
    }
  }
  return undefined;
}

export function describeResult(result: unknown): string {
  if (result === undefined || result === null) return '';
  const list = findList(result);
  if (list) {
    if (list.length === 0) return 'Nothing found.';
    const lines = list.slice(0, MAX_ITEMS).map((item) => `• ${isRecord(item) ? describeRecord(item) : quoteData(item)}`);
    const more = list.length > MAX_ITEMS ? `\n…and ${list.length - MAX_ITEMS} more.` : '';
    return `${list.length === 1 ? '1 result' : `${list.length} results`}:\n${lines.join('\n')}${more}`;
  }
  if (isRecord(result)) return describeRecord(isRecord(result.data) ? result.data : result);
  return quoteData(result);
}

/** One line for a progress checklist. */
export function summarizeOutput(output: unknown, max = 160): string {
  const text = describeResult(output).replace(/\s*\n\s*/g, ' ').trim();
  if (!text) return 'Done';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The tool's own sentence when it has one (and its output still parses), the generic line otherwise.
 * A summarizer that throws costs the employee a nicer sentence, never the step.
 */
export function summarizeToolOutput(definition: Pick<ToolDefinition<unknown, unknown>, 'summarize' | 'output' | 'input'> | undefined, output: unknown, args: unknown): string {
  if (definition?.summarize) {
    const parsed = definition.output.safeParse(output);
    const parsedArgs = definition.input.safeParse(args);
    if (parsed.success && parsedArgs.success) {
      try {
        const line = definition.summarize(parsed.data, parsedArgs.data).replace(/\s*\n\s*/g, ' ').trim();
        if (line) return line;
      } catch {
        // fall through to the generic line
      }
    }
  }
  return summarizeOutput(output);
}
