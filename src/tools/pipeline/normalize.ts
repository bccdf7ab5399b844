import { isSwitchboardError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { ToolResult } from '../tool.js';

/** Tool output as plain JSON data, marked untrusted so no layer ever treats it as instructions. */
export function okResult(output: unknown): { result: ToolResult & { ok: true }; output: JsonValue } {
  const data = toJson(output);
  return { result: { ok: true, data, untrusted: true }, output: data };
}

export function errorResult(error: unknown): ToolResult & { ok: false } {
  return { ok: false, error: errorBody(error), untrusted: true };
}

/** Only the typed error's code and employee-facing text leave the pipeline: never stacks or tokens. */
export function errorBody(error: unknown): { code: string; message: string } {
  if (isSwitchboardError(error)) return { code: error.code, message: error.userMessage };
  return { code: 'tool_failed', message: 'The action failed unexpectedly.' };
}

function toJson(value: unknown): JsonValue {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}
