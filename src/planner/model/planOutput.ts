import { Ajv, type ValidateFunction } from 'ajv';
import { z } from 'zod';
import { planSchema, type Plan } from '../../engine/plan.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { ModelToolCall } from '../../models/types.js';
import type { ToolSummary } from '../planner.js';

export type ParsedOutput =
  | { readonly kind: 'plan'; readonly plan: Plan }
  | { readonly kind: 'clarify'; readonly question: string }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

const askSchema = z.object({ question: z.string().trim().min(1).max(500) });

function isRef(value: JsonValue): value is { $ref: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $ref?: unknown }).$ref === 'string';
}

/**
 * Validates what the model proposed: the Plan zod schema, that every tool exists for this tenant,
 * and every step's arguments against the tool's JSON Schema. `$ref` arguments are checked for a
 * matching dependsOn here; their values are only known (and validated) by the engine at run time.
 */
export class PlanOutputValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  private validatorFor(tool: ToolSummary, refKeys: readonly string[]): ValidateFunction {
    const cacheKey = `${tool.name}|${refKeys.join(',')}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      const schema = structuredClone(tool.parameters) as JsonObject & { required?: string[] };
      if (refKeys.length > 0 && Array.isArray(schema.required)) schema.required = schema.required.filter((k) => !refKeys.includes(k));
      validate = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validate);
    }
    return validate;
  }

  parse(calls: readonly ModelToolCall[], tools: readonly ToolSummary[]): ParsedOutput {
    const ask = calls.find((c) => c.name === 'ask_user');
    if (ask) {
      const parsed = askSchema.safeParse(safeJson(ask.arguments));
      return parsed.success ? { kind: 'clarify', question: parsed.data.question } : { kind: 'invalid', problems: ['ask_user needs {"question": "..."}'] };
    }
    const submit = calls.find((c) => c.name === 'submit_plan');
    let candidate: unknown;
    if (submit) {
      candidate = safeJson(submit.arguments);
      if (candidate === undefined) return { kind: 'invalid', problems: ['submit_plan arguments were not valid JSON'] };
    } else {
      // Some servers let the model call a listed tool directly; accept that as a one-step-per-call plan.
      candidate = { steps: calls.map((c, i) => ({ id: `s${i + 1}`, tool: c.name, args: safeJson(c.arguments) ?? {}, title: c.name.replace(/_/g, ' ') })) };
    }
    const shaped = planSchema.safeParse(candidate);
    if (!shaped.success) return { kind: 'invalid', problems: shaped.error.issues.map((i) => `${i.path.join('.') || 'plan'}: ${i.message}`) };
    const problems: string[] = [];
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const step of shaped.data.steps) {
      const tool = byName.get(step.tool);
      if (!tool) {
        problems.push(`step ${step.id}: unknown tool "${step.tool}"`);
        continue;
      }
      const refKeys = Object.entries(step.args).filter(([, v]) => isRef(v)).map(([k]) => k);
      for (const key of refKeys) {
        const target = (step.args[key] as { $ref: string }).$ref.split('.')[0] ?? '';
        if (!step.dependsOn.includes(target)) problems.push(`step ${step.id}: argument ${key} references ${target} but dependsOn does not list it`);
      }
      const concrete = Object.fromEntries(Object.entries(step.args).filter(([k]) => !refKeys.includes(k)));
      const validate = this.validatorFor(tool, refKeys);
      if (!validate(concrete)) {
        for (const e of validate.errors ?? []) problems.push(`step ${step.id} (${step.tool}): args${e.instancePath} ${e.message ?? 'is invalid'}`);
      }
    }
    if (shaped.data.steps.length === 0) problems.push('the plan has no steps; answer in plain text instead');
    return problems.length > 0 ? { kind: 'invalid', problems } : { kind: 'plan', plan: shaped.data };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
