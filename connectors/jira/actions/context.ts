import type { ConnectorInstanceConfig } from '../../../src/tools/connector.js';
import type { ReconcileResult, ToolContext } from '../../../src/tools/tool.js';
import { JiraApi } from '../api.js';
import { JiraClient } from '../client.js';

/** One client per tool call: nothing mutable is shared between concurrent runs. */
export function jiraApiFor(config: ConnectorInstanceConfig, ctx: ToolContext): JiraApi {
  const instance = ctx.connector ?? config;
  const timeoutMs = Number(instance.options['timeoutMs']);
  return new JiraApi(new JiraClient({ config: instance, credentials: ctx.credentials, logger: ctx.logger, signal: ctx.signal, ...(timeoutMs > 0 ? { timeoutMs } : {}) }));
}

export const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,9}-[1-9][0-9]{0,8}$/;

export function normaliseKey(key: string): string {
  return key.trim().toUpperCase();
}

export function sameName(a: string, b: string): boolean {
  return a.trim().localeCompare(b.trim(), undefined, { sensitivity: 'base' }) === 0;
}

export function quote(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

/** Jira's standard issue types in a sentence ("Created Jira bug …"); any other type is just an "issue". */
const TYPE_WORDS: Readonly<Record<string, string>> = { Bug: 'bug', Task: 'task', Story: 'story', Epic: 'epic', 'Sub-task': 'sub-task', Subtask: 'subtask', Improvement: 'improvement' };

export function issueTypeWord(issueType: string | undefined): string {
  return issueType !== undefined && Object.hasOwn(TYPE_WORDS, issueType) ? TYPE_WORDS[issueType] ?? 'issue' : 'issue';
}

/** A read-back that could not reach Jira does not know; the runtime then reports instead of repeating. */
export async function reconcileWith<O>(ctx: ToolContext, readBack: () => Promise<O | undefined>): Promise<ReconcileResult<O>> {
  try {
    const found = await readBack();
    return found === undefined ? { status: 'not_applied' } : { status: 'applied', output: found };
  } catch (error) {
    ctx.logger.warn({ connector: 'jira', code: (error as { code?: string }).code ?? 'unknown' }, 'jira reconcile could not read back');
    return { status: 'unknown' };
  }
}
