import { z } from 'zod';
import type { JsonObject, JsonValue } from '../core/json.js';
import { ScimError, URN } from './protocol.js';

/** RFC 7644 §3.5.2; Entra capitalises the op ("Replace"), so it is compared case-insensitively. */
export const patchRequestSchema = z.object({
  schemas: z.array(z.string()).optional(),
  Operations: z
    .array(z.object({ op: z.string().transform((op) => op.toLowerCase()).pipe(z.enum(['add', 'replace', 'remove'])), path: z.string().max(500).optional(), value: z.unknown().optional() }))
    .min(1)
    .max(1000),
});
export type PatchOperation = z.infer<typeof patchRequestSchema>['Operations'][number];

interface ParsedPath {
  /** Extension container key (the schema URN) or undefined for core attributes. */
  readonly urn?: string;
  readonly attribute: string;
  readonly filter?: { readonly attribute: string; readonly value: string };
  readonly sub?: string;
}

const PATH = /^([A-Za-z$][\w$-]*)(?:\[\s*([A-Za-z][\w.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*\])?(?:\.([A-Za-z$][\w$-]*))?$/i;

export function parsePath(path: string, extensions: readonly string[]): ParsedPath {
  let rest = path.trim();
  let urn: string | undefined;
  for (const candidate of [URN.user, URN.group]) {
    if (rest.toLowerCase().startsWith(`${candidate.toLowerCase()}:`)) rest = rest.slice(candidate.length + 1);
  }
  for (const candidate of extensions) {
    if (rest.toLowerCase().startsWith(`${candidate.toLowerCase()}:`)) {
      urn = candidate;
      rest = rest.slice(candidate.length + 1);
    }
  }
  const match = PATH.exec(rest);
  if (!match) throw new ScimError(400, `The path "${path.slice(0, 200)}" is not supported.`, 'invalidPath');
  return {
    ...(urn ? { urn } : {}),
    attribute: match[1]!,
    ...(match[2] ? { filter: { attribute: match[2], value: JSON.parse(`"${match[3] ?? ''}"`) as string } } : {}),
    ...(match[4] ? { sub: match[4] } : {}),
  };
}

/** The existing key of `obj` that matches `name` case-insensitively (attribute names are case-insensitive). */
export function keyOf(obj: JsonObject, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? name;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matches(item: JsonValue, filter: NonNullable<ParsedPath['filter']>): boolean {
  if (!isObject(item)) return false;
  const value = item[keyOf(item, filter.attribute)];
  return typeof value === 'string' ? value.toLowerCase() === filter.value.toLowerCase() : String(value) === filter.value;
}

/**
 * Applies PATCH operations to a resource's JSON document (a copy), RFC 7644 §3.5.2: add appends to
 * multi-valued attributes and merges objects, replace overwrites, remove deletes (with a value filter,
 * only the matching elements). Typing and coercion ("False", a bare manager id) happen afterwards,
 * when the resource validates the result.
 */
export function applyPatch(document: JsonObject, operations: readonly PatchOperation[], extensions: readonly string[]): JsonObject {
  const doc = structuredClone(document);
  for (const op of operations) {
    const value = op.value as JsonValue | undefined;
    if (!op.path) {
      if (op.op === 'remove') throw new ScimError(400, 'A remove operation needs a path.', 'noTarget');
      if (!isObject(value)) throw new ScimError(400, 'An operation without a path needs an object value.', 'invalidValue');
      for (const [name, inner] of Object.entries(value)) {
        const extension = extensions.find((urn) => urn.toLowerCase() === name.toLowerCase());
        if (extension && isObject(inner)) {
          for (const [sub, subValue] of Object.entries(inner)) setAttribute(doc, { urn: extension, attribute: sub }, op.op, subValue);
        } else if ((name.includes(':') || name.includes('.')) && !extension) {
          // "urn:…:User:manager" or "name.givenName" keys inside a path-less value (Entra sends these).
          setAttribute(doc, parsePath(name, extensions), op.op, inner);
        } else setAttribute(doc, { attribute: name }, op.op, inner);
      }
      continue;
    }
    setAttribute(doc, parsePath(op.path, extensions), op.op, value);
  }
  return doc;
}

function setAttribute(doc: JsonObject, path: ParsedPath, op: 'add' | 'replace' | 'remove', value: JsonValue | undefined): void {
  let container = doc;
  if (path.urn) {
    const key = keyOf(doc, path.urn);
    if (!isObject(doc[key])) {
      if (op === 'remove') return;
      doc[key] = {};
    }
    container = doc[key] as JsonObject;
  }
  const key = keyOf(container, path.attribute);
  const current = container[key];
  if (path.filter) {
    const list = Array.isArray(current) ? current : [];
    const hits = list.filter((item) => matches(item, path.filter!));
    if (op === 'remove') {
      if (path.sub) for (const hit of hits) delete (hit as JsonObject)[keyOf(hit as JsonObject, path.sub)];
      else container[key] = list.filter((item) => !matches(item, path.filter!));
      return;
    }
    if (hits.length === 0) {
      // Entra replaces `emails[type eq "work"].value` on a user that has no work email yet: create it.
      const created: JsonObject = { [path.filter.attribute]: path.filter.value };
      if (path.sub) created[path.sub] = value ?? null;
      else if (isObject(value)) Object.assign(created, value);
      container[key] = [...list, created];
      return;
    }
    for (const hit of hits as JsonObject[]) {
      if (path.sub) hit[keyOf(hit, path.sub)] = value ?? null;
      else if (isObject(value)) Object.assign(hit, value);
    }
    return;
  }
  if (path.sub) {
    if (!isObject(current)) {
      if (op === 'remove') return;
      container[key] = {};
    }
    const inner = container[key] as JsonObject;
    if (op === 'remove') delete inner[keyOf(inner, path.sub)];
    else inner[keyOf(inner, path.sub)] = value ?? null;
    return;
  }
  if (op === 'remove') {
    if (Array.isArray(current) && Array.isArray(value)) {
      // Entra removes members by listing them: [{ value: id }].
      const gone = new Set(value.map((v) => (isObject(v) ? String(v.value) : String(v))));
      container[key] = current.filter((item) => !(isObject(item) && gone.has(String(item.value))));
    } else delete container[key];
    return;
  }
  if (value === undefined) throw new ScimError(400, `The ${op} operation on "${path.attribute}" needs a value.`, 'invalidValue');
  if (op === 'add' && Array.isArray(current)) {
    container[key] = [...current, ...(Array.isArray(value) ? value : [value])];
  } else if (op === 'add' && isObject(current) && isObject(value)) {
    container[key] = { ...current, ...value };
  } else container[key] = value;
}
