import { PRIORITIES, type SandboxIssue, type SandboxUser } from './model.js';
import type { JiraSandboxState } from './state.js';

/**
 * The slice of JQL the sandbox understands: clauses on project, key, summary/text (~), status,
 * statusCategory, assignee, reporter, labels, priority, issuetype and issue.property[...], joined
 * with AND/OR/NOT and parentheses, plus ORDER BY. Errors use Jira's wording.
 */
export class JqlError extends Error {}

type Token = { kind: 'str' | 'word' | 'op' | 'punct'; value: string };
type Value = { kind: 'literal'; value: string } | { kind: 'current_user' } | { kind: 'empty' };
type Expr =
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr }
  | { kind: 'clause'; field: string; op: string; values: Value[] };

export interface ParsedJql {
  readonly where?: Expr;
  readonly orderBy: { field: string; desc: boolean }[];
}

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)*')|(!=|!~|>=|<=|=|~|>|<)|([(),])|([A-Za-z0-9_.\-@:[\]*+]+))/y;
  let index = 0;
  while (index < jql.length) {
    if (/^\s*$/.test(jql.slice(index))) break;
    re.lastIndex = index;
    const m = re.exec(jql);
    if (!m) throw new JqlError(`Error in the JQL Query: The character '${jql.slice(index).trim()[0]}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${(jql.slice(index).trim().charCodeAt(0)).toString(16).padStart(4, '0')}' instead. (line 1, character ${index + 1})`);
    index = re.lastIndex;
    if (m[1] ?? m[2]) tokens.push({ kind: 'str', value: (m[1] ?? m[2] ?? '').slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[3]) tokens.push({ kind: 'op', value: m[3] });
    else if (m[4]) tokens.push({ kind: 'punct', value: m[4] });
    else if (m[5]) tokens.push({ kind: 'word', value: m[5] });
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ParsedJql {
    const where = this.atOrder() || this.done() ? undefined : this.or();
    const orderBy: { field: string; desc: boolean }[] = [];
    if (this.atOrder()) {
      this.i += 2;
      do {
        const field = this.next('a field name to order by').value.toLowerCase();
        const dir = this.peekWord();
        if (dir === 'asc' || dir === 'desc') this.i += 1;
        orderBy.push({ field, desc: dir === 'desc' });
      } while (this.eat(','));
    }
    if (!this.done()) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${this.tokens[this.i]?.value}'.`);
    return { ...(where ? { where } : {}), orderBy };
  }

  private or(): Expr {
    let left = this.and();
    while (this.peekWord() === 'or') { this.i += 1; left = { kind: 'or', left, right: this.and() }; }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.peekWord() === 'and') { this.i += 1; left = { kind: 'and', left, right: this.unary() }; }
    return left;
  }

  private unary(): Expr {
    if (this.peekWord() === 'not') { this.i += 1; return { kind: 'not', expr: this.unary() }; }
    if (this.eat('(')) { const inner = this.or(); this.expect(')'); return inner; }
    return this.clause();
  }

  private clause(): Expr {
    const field = this.next('a field name').value;
    let op = this.next('an operator').value.toLowerCase();
    if (op === 'not' && this.peekWord() === 'in') { this.i += 1; op = 'not in'; }
    else if (op === 'is' && this.peekWord() === 'not') { this.i += 1; op = 'is not'; }
    if (!['=', '!=', '~', '!~', 'in', 'not in', 'is', 'is not', '>', '<', '>=', '<='].includes(op)) throw new JqlError(`Error in the JQL Query: Expecting operator but got '${op}'.`);
    if (op === 'in' || op === 'not in') {
      this.expect('(');
      const values: Value[] = [];
      do values.push(this.value()); while (this.eat(','));
      this.expect(')');
      return { kind: 'clause', field, op, values };
    }
    return { kind: 'clause', field, op, values: [this.value()] };
  }

  private value(): Value {
    const t = this.next('a value');
    if (t.kind === 'word' && /^currentuser$/i.test(t.value) && this.eat('(')) { this.expect(')'); return { kind: 'current_user' }; }
    if (t.kind === 'word' && /^(empty|null)$/i.test(t.value)) return { kind: 'empty' };
    if (t.kind === 'punct' || t.kind === 'op') throw new JqlError(`Error in the JQL Query: Expecting either a value, list or function but got '${t.value}'.`);
    return { kind: 'literal', value: t.value };
  }

  private atOrder(): boolean {
    return this.peekWord() === 'order' && this.tokens[this.i + 1]?.value.toLowerCase() === 'by';
  }
  private done(): boolean { return this.i >= this.tokens.length; }
  private peekWord(): string | undefined { const t = this.tokens[this.i]; return t?.kind === 'word' ? t.value.toLowerCase() : undefined; }
  private eat(punct: string): boolean { if (this.tokens[this.i]?.value === punct && this.tokens[this.i]?.kind !== 'str') { this.i += 1; return true; } return false; }
  private expect(punct: string): void { if (!this.eat(punct)) throw new JqlError(`Error in the JQL Query: Expecting '${punct}' but got '${this.tokens[this.i]?.value ?? 'end of query'}'.`); }
  private next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) throw new JqlError(`Error in the JQL Query: Expecting ${what} before the end of the query.`);
    this.i += 1;
    return t;
  }
}

export function parseJql(jql: string): ParsedJql {
  return new Parser(tokenize(jql)).parse();
}

const FIELDS = new Set(['project', 'key', 'issuekey', 'id', 'summary', 'text', 'description', 'status', 'statuscategory', 'assignee', 'reporter', 'labels', 'priority', 'issuetype', 'type', 'created', 'updated']);

/** Compiles to a predicate for `user`; unknown fields and invisible projects fail the way Jira fails. */
export function compileJql(parsed: ParsedJql, state: JiraSandboxState, user: SandboxUser): (issue: SandboxIssue) => boolean {
  const check = (expr: Expr): void => {
    if (expr.kind === 'and' || expr.kind === 'or') { check(expr.left); check(expr.right); return; }
    if (expr.kind === 'not') { check(expr.expr); return; }
    const field = expr.field.toLowerCase();
    if (!FIELDS.has(field) && !/^issue\.property\[[^\]]+\](\.[\w.]+)?$/i.test(expr.field)) throw new JqlError(`Field '${expr.field}' does not exist or you do not have permission to view it.`);
    if (field === 'project') {
      for (const v of expr.values) {
        if (v.kind !== 'literal') continue;
        const project = state.project(v.value);
        if (!project || !state.canBrowse(user, project.key)) throw new JqlError(`The value '${v.value}' does not exist for the field 'project'.`);
      }
    }
  };
  if (parsed.where) check(parsed.where);
  const evaluate = (expr: Expr, issue: SandboxIssue): boolean => {
    if (expr.kind === 'and') return evaluate(expr.left, issue) && evaluate(expr.right, issue);
    if (expr.kind === 'or') return evaluate(expr.left, issue) || evaluate(expr.right, issue);
    if (expr.kind === 'not') return !evaluate(expr.expr, issue);
    return clauseMatches(expr, issue, state, user);
  };
  return (issue) => (parsed.where ? evaluate(parsed.where, issue) : true);
}

function clauseMatches(clause: Extract<Expr, { kind: 'clause' }>, issue: SandboxIssue, state: JiraSandboxState, user: SandboxUser): boolean {
  const actual = fieldValues(clause.field, issue, state);
  const wanted = clause.values.map((v) => (v.kind === 'current_user' ? [user.accountId] : v.kind === 'empty' ? [''] : [v.value.toLowerCase()]));
  const equalsAny = wanted.some((alternatives) => alternatives.some((w) => (w === '' ? actual.length === 0 : actual.includes(w))));
  switch (clause.op) {
    case '=': case 'in': case 'is': return equalsAny;
    case '!=': case 'not in': case 'is not': return !equalsAny;
    case '~': case '!~': {
      const needle = clause.values[0]?.kind === 'literal' ? clause.values[0].value.toLowerCase().replace(/[*"]/g, '') : '';
      const hit = actual.some((a) => a.includes(needle));
      return clause.op === '~' ? hit : !hit;
    }
    default: return false;
  }
}

/** Every spelling a value may be referred to by (key, id, name, email), lower-cased. */
function fieldValues(field: string, issue: SandboxIssue, state: JiraSandboxState): string[] {
  const lower = (values: (string | undefined | null)[]): string[] => values.filter((v): v is string => typeof v === 'string' && v.length > 0).map((v) => v.toLowerCase());
  const person = (accountId: string | null): string[] => {
    const u = accountId ? state.userById(accountId) : undefined;
    return u ? lower([u.accountId, u.email, u.displayName]).concat(u.accountId) : [];
  };
  const property = /^issue\.property\[([^\]]+)\](?:\.([\w.]+))?$/i.exec(field);
  if (property) {
    let value: unknown = issue.properties.get(property[1] ?? '');
    for (const part of (property[2] ?? '').split('.').filter(Boolean)) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    return value === undefined || value === null ? [] : lower([typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  const status = state.status(issue.statusId);
  const project = state.project(issue.projectKey);
  switch (field.toLowerCase()) {
    case 'project': return lower([project?.key, project?.id, project?.name]);
    case 'key': case 'issuekey': case 'id': return lower([issue.key, issue.id]);
    case 'summary': return lower([issue.summary]);
    case 'text': case 'description': return lower([issue.summary, JSON.stringify(issue.description ?? '')]);
    case 'status': return lower([status.name, status.id]);
    case 'statuscategory': return lower([{ new: 'To Do', indeterminate: 'In Progress', done: 'Done' }[status.category], status.category]);
    case 'assignee': return person(issue.assigneeId);
    case 'reporter': return person(issue.reporterId);
    case 'labels': return lower(issue.labels);
    case 'priority': return lower([issue.priority]);
    case 'issuetype': case 'type': return lower([issue.issueType]);
    default: return [];
  }
}

export function sortIssues(issues: SandboxIssue[], orderBy: ParsedJql['orderBy'], state: JiraSandboxState): SandboxIssue[] {
  const keyOf = (issue: SandboxIssue, field: string): string | number => {
    switch (field) {
      case 'created': return issue.created;
      case 'updated': return issue.updated;
      case 'priority': return Number(PRIORITIES[issue.priority] ?? '3');
      case 'status': return state.status(issue.statusId).name;
      case 'summary': return issue.summary;
      default: return Number(issue.id);
    }
  };
  const order = orderBy.length > 0 ? orderBy : [{ field: 'key', desc: true }];
  return [...issues].sort((a, b) => {
    for (const { field, desc } of order) {
      const x = keyOf(a, field);
      const y = keyOf(b, field);
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  });
}
