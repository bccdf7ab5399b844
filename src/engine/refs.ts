import { SwitchboardError } from '../core/errors.js';
import type { JsonObject, JsonValue } from '../core/json.js';

export class BadReferenceError extends SwitchboardError {
  constructor(ref: string, why: string) {
    super('bad_reference', `cannot resolve ${ref}: ${why}`, { userMessage: `A step needed a value from an earlier step that was not there (${ref}).` });
  }
}

function isRef(value: JsonValue): value is { $ref: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1 && typeof value.$ref === 'string';
}

export function containsRef(value: JsonValue): boolean {
  if (isRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsRef);
  if (value && typeof value === 'object') return Object.values(value).some(containsRef);
  return false;
}

/**
 * Replaces `{ "$ref": "s1.data.issues.0.key" }` with the value at that path of step s1's result
 * (`{ ok: true, data: <output> }`). Only succeeded steps can be referenced.
 */
export function resolveRefs(args: JsonObject, outputs: ReadonlyMap<string, JsonValue>): JsonObject {
  const walk = (value: JsonValue): JsonValue => {
    if (isRef(value)) return lookup(value.$ref, outputs);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk(args) as JsonObject;
}

function lookup(ref: string, outputs: ReadonlyMap<string, JsonValue>): JsonValue {
  const [stepKey, ...path] = ref.split('.');
  if (!stepKey || !outputs.has(stepKey)) throw new BadReferenceError(ref, 'the step has no result');
  let current: JsonValue = { ok: true, data: outputs.get(stepKey) ?? null };
  for (const segment of path) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)] ?? null;
    else if (current && typeof current === 'object' && !Array.isArray(current) && segment in current) current = current[segment] ?? null;
    else throw new BadReferenceError(ref, `no "${segment}" in the result`);
    if (current === null) throw new BadReferenceError(ref, `"${segment}" is empty`);
  }
  return current;
}
