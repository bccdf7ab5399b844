import { Validator } from 'jsonschema';
import type { RegisteredTool } from '../registry.js';
import { ToolArgumentsError } from './errors.js';

const validator = new Validator();

/** Stage 1: arguments must satisfy the tool's zod schema (and the tenant's JSON Schema for custom tools). */
export function validateArgs(tool: RegisteredTool, args: unknown): unknown {
  if (tool.jsonSchema) {
    const result = validator.validate(args, tool.jsonSchema, { nestedErrors: false });
    if (!result.valid) throw new ToolArgumentsError(tool.name, result.errors.map((e) => `${e.property.replace(/^instance\.?/, '') || 'arguments'} ${e.message}`));
  }
  const parsed = tool.definition.input.safeParse(args);
  if (!parsed.success) {
    throw new ToolArgumentsError(
      tool.name,
      parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`),
    );
  }
  return parsed.data;
}
