import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { parse } from 'yaml';
import type { SandboxExchange } from '../shared/sandboxServer.js';

/**
 * Test-only: checks recorded sandbox traffic against Okta's OpenAPI 3.0 documents. OpenAPI
 * specifics are converted for ajv: `nullable` becomes a null type, discriminated `oneOf` (Okta's
 * inheritance style, where a subtype also matches its parent) becomes `anyOf`, and vendor `x-`
 * keywords are ignored.
 */
type Json = Record<string, unknown>;
interface Operation { parameters?: Json[]; requestBody?: Json; responses: Record<string, Json> }
interface Spec { id: string; paths: Record<string, Record<string, Operation> & { parameters?: Json[] }>; components: Json }

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export class OktaContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  private readonly specs: Spec[] = [];
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(files: Record<string, string>) {
    addFormats(this.ajv);
    for (const [id, file] of Object.entries(files)) {
      const doc = convert(parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 })) as Spec;
      this.ajv.addSchema({ $id: id, components: doc.components }, id);
      this.specs.push({ ...doc, id });
    }
  }

  /** Problems with one exchange; an empty list means it matches the documents. */
  check(exchange: SandboxExchange): string[] {
    const found = this.find(exchange.method, exchange.path);
    if (!found) return [`${exchange.method} ${exchange.path}: no such operation in the Okta OpenAPI documents`];
    const { spec, template, op, pathParams } = found;
    const where = `${exchange.method} ${template} → ${exchange.status}`;
    const problems: string[] = [];
    const declared = new Set([...(pathParams ?? []), ...(op.parameters ?? [])].map((p) => this.deref(spec, p)).filter((p) => p['in'] === 'query').map((p) => String(p['name'])));
    for (const key of new URLSearchParams(exchange.query).keys()) if (!declared.has(key)) problems.push(`${where}: query parameter "${key}" is not documented`);
    const content = (op.requestBody?.['content'] as Record<string, Json> | undefined)?.['application/json'];
    if (content && exchange.requestBody !== undefined) problems.push(...this.validate(spec, content['schema'] as Json, exchange.requestBody, `${where} request`));

    const response = op.responses[String(exchange.status)] ?? op.responses[`${String(exchange.status)[0]}XX`] ?? op.responses['default'];
    if (!response) {
      // Okta documents only some errors per operation (401/5xx never); those must still be its Error shape.
      if (exchange.status < 400) return [...problems, `${where}: status not documented`];
      return [...problems, ...this.validate(spec, { $ref: '#/components/schemas/Error' }, exchange.responseBody, `${where} (undocumented error)`)];
    }
    const resolved = this.deref(spec, response);
    const media = resolved['content'] as Record<string, Json> | undefined;
    if (!media) return exchange.responseBody === undefined || isEmpty(exchange.responseBody) ? problems : [...problems, `${where}: body where none is documented`];
    const schema = Object.entries(media).find(([type]) => type.startsWith('application/json'))?.[1]?.['schema'] as Json | undefined;
    if (!schema) return problems;
    return [...problems, ...this.validate(spec, schema, exchange.responseBody, where)];
  }

  private validate(spec: Spec, schema: Json, value: unknown, where: string): string[] {
    const key = `${spec.id}:${JSON.stringify(schema)}`;
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema, spec.id));
      this.cache.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, 3).map((e) => `${where}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  private find(method: string, path: string): { spec: Spec; template: string; op: Operation; pathParams?: Json[] } | undefined {
    let best: { spec: Spec; template: string; op: Operation; pathParams?: Json[]; literal: number } | undefined;
    for (const spec of this.specs) {
      for (const [template, item] of Object.entries(spec.paths)) {
        const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
        const op = item[method.toLowerCase()] as Operation | undefined;
        if (!op || !pattern.test(path)) continue;
        // Prefer the most literal template (`/users/me` style paths over `/users/{id}`).
        const literal = template.replace(/\{[^}]+\}/g, '').length;
        if (!best || literal > best.literal) best = { spec, template, op, ...(item.parameters ? { pathParams: item.parameters } : {}), literal };
      }
    }
    return best;
  }

  private deref(spec: Spec, node: Json): Json {
    const ref = node['$ref'];
    if (typeof ref !== 'string') return node;
    let current: unknown = spec;
    for (const part of ref.replace(/^#\//, '').split('/')) current = (current as Json)[part];
    return this.deref(spec, current as Json);
  }
}

function isEmpty(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Object.keys(body).length === 0;
}

function rebase(schema: Json, id: string): Json {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${id}#/`)) as Json;
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const input = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(input)) {
    if (key.startsWith('x-') || key === 'example' || key === 'examples' || key === 'discriminator' || key === 'nullable') continue;
    out[key === 'oneOf' && input['discriminator'] ? 'anyOf' : key] = convert(value);
  }
  if (input['nullable'] === true) {
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
    if (out['allOf'] || out['$ref']) return { anyOf: [{ type: 'null' }, out] };
  }
  // Okta's inheritance oneOf lists parent and children, so more than one branch may match.
  if (Array.isArray(out['oneOf']) && (out['oneOf'] as Json[]).every((s) => typeof s['$ref'] === 'string')) {
    out['anyOf'] = out['oneOf'];
    delete out['oneOf'];
  }
  return out;
}
