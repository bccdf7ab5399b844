import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { SandboxExchange } from '../shared/sandboxServer.js';

/**
 * Contract checks against Atlassian's own OpenAPI document (test support). Exchanges recorded by the
 * sandbox are matched to an operation by path and method; the request body and query parameter
 * names the client sent, and the status and body the sandbox answered, must all be what the
 * document declares.
 */
export const JIRA_OPENAPI_PATH = process.env['JIRA_OPENAPI_PATH'] ?? resolve(process.cwd(), '../shared/specs/jira-cloud-platform-v3.openapi.json');

/** Served by Atlassian's auth server and gateway, which the Jira platform document does not describe. */
const OUTSIDE_SPEC = /^\/(authorize|oauth\/token(\/accessible-resources)?)$/;

type Json = Record<string, unknown>;
interface Operation { parameters?: { name: string; in: string }[]; requestBody?: { content?: Record<string, { schema?: unknown }> }; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null alternative; refs point into one registered document. */
function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'xml' || key === 'example' || key === 'discriminator' || key === 'nullable') continue;
    out[key] = key === '$ref' && typeof value === 'string' ? value.replace(/^#\/components/, 'jira#/components') : convert(value);
  }
  if ((node as Json)['nullable'] === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

export class JiraContract {
  private readonly ajv: Ajv;
  private readonly operations: { method: string; template: string; pattern: RegExp; op: Operation }[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(specPath = JIRA_OPENAPI_PATH) {
    const spec = JSON.parse(readFileSync(specPath, 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: Json };
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    addFormats(this.ajv);
    // Jira writes offsets without a colon (2021-01-17T12:34:00.000+0000), which RFC 3339 strictness would reject.
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/);
    this.ajv.addSchema({ $id: 'jira', components: convert(spec.components) as Json });
    for (const [template, methods] of Object.entries(spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods)) if (typeof op === 'object' && op && 'responses' in op) this.operations.push({ method: method.toUpperCase(), template, pattern, op });
    }
  }

  /** Violations found in the exchanges (empty when all conform) and the operations they covered. */
  check(exchanges: readonly SandboxExchange[]): { violations: string[]; covered: Set<string>; skipped: number } {
    const violations: string[] = [];
    const covered = new Set<string>();
    let skipped = 0;
    for (const ex of exchanges) {
      if (OUTSIDE_SPEC.test(ex.path)) { skipped += 1; continue; }
      const path = ex.path.replace(/^\/ex\/jira\/[^/]+/, '');
      const matches = this.operations.filter((o) => o.method === ex.method && o.pattern.test(path));
      const found = matches.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length)[0];
      const where = `${ex.method} ${path} → ${ex.status}`;
      if (!found) { violations.push(`${where}: no such operation in the Jira OpenAPI document`); continue; }
      const name = `${ex.method} ${found.template}`;
      covered.add(name);
      const declared = new Set((found.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      for (const key of new URLSearchParams(ex.query).keys()) if (!declared.has(key)) violations.push(`${where}: query parameter '${key}' is not declared`);
      const requestSchema = found.op.requestBody?.content?.['application/json']?.schema;
      if (ex.requestBody !== undefined) {
        if (!requestSchema) violations.push(`${where}: sends a body the operation does not take`);
        else this.validate(`${name} request`, requestSchema, ex.requestBody, violations, where);
      }
      if (ex.faultInjected && (ex.status === 429 || ex.status >= 500)) {
        // Gateway throttling and outages can answer any operation; their body is still Jira's error collection.
        this.validate('ErrorCollection', { $ref: '#/components/schemas/ErrorCollection' }, ex.responseBody, violations, where);
        continue;
      }
      const response = found.op.responses[String(ex.status)] ?? found.op.responses['default'];
      if (!response) { violations.push(`${where}: status ${ex.status} is not declared for ${name}`); continue; }
      const schema = response.content?.['application/json']?.schema;
      if (schema && Object.keys(schema as Json).length > 0 && ex.responseBody !== undefined) this.validate(`${name} ${ex.status}`, schema, ex.responseBody, violations, where);
      if (ex.status === 204 && ex.responseBody !== undefined) violations.push(`${where}: 204 with a body`);
    }
    return { violations, covered, skipped };
  }

  private validate(key: string, schema: unknown, value: unknown, violations: string[], where: string): void {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(convert(schema) as Json);
      this.compiled.set(key, fn);
    }
    if (!fn(value)) violations.push(`${where}: ${this.ajv.errorsText(fn.errors, { separator: '; ' }).slice(0, 400)}`);
  }
}

let shared: JiraContract | undefined;

/** For jest: fails with every violation listed. */
export function expectOpenApiConformance(exchanges: readonly SandboxExchange[]): { covered: Set<string> } {
  shared ??= new JiraContract();
  const { violations, covered } = shared.check(exchanges);
  if (violations.length > 0) throw new Error(`Jira contract violations:\n${violations.join('\n')}`);
  return { covered };
}
