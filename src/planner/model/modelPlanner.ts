import type { ContextWindowManager } from '../../memory/contextWindow.js';
import { ModelOutputError } from '../../models/errors.js';
import type { ModelGateway } from '../../models/modelGateway.js';
import type { ChatMessage, ModelCallResult, ModelTier } from '../../models/types.js';
import type { TokenCounter } from '../../models/tokenCounter.js';
import type { PlannerDecision, PlanningContext } from '../planner.js';
import { selectTools } from '../toolSelection.js';
import { PlanOutputValidator } from './planOutput.js';
import { ASK_USER_TOOL, SUBMIT_PLAN_TOOL, renderObservations, renderSystem } from './prompt.js';

export interface ModelPlannerDeps {
  readonly gateway: ModelGateway;
  /** Per run: the summariser spends the run's own budget. */
  readonly contextFor: (ctx: PlanningContext) => ContextWindowManager;
  readonly tokens: TokenCounter;
  readonly compressionThreshold: number;
  /** After this many next() calls in a run the planner stops planning and answers. */
  readonly maxIterations?: number;
  readonly maxTools?: number;
}

const FINAL_ANSWER_NOTE = 'You have run out of planning rounds. Answer the employee now in plain text from the results above; say plainly what could not be done.';

/**
 * The model tier: one planning call whose output is a submit_plan / ask_user tool call or a plain
 * answer (streamed). Invalid output gets exactly one repair call quoting the validation errors;
 * plans made while the prompt held untrusted text (tool output, untrusted history, stored facts) are
 * flagged derivedFromToolOutput so the engine asks for approval.
 */
export class ModelPlanner {
  private readonly validator = new PlanOutputValidator();
  private readonly maxIterations: number;
  constructor(private readonly deps: ModelPlannerDeps) {
    this.maxIterations = deps.maxIterations ?? 5;
  }

  async next(ctx: PlanningContext, tier: ModelTier, reason: string, facts: Readonly<Record<string, string>>): Promise<PlannerDecision> {
    const recentTools = [...(ctx.previousPlan?.steps.map((s) => s.tool) ?? []), ...ctx.observations.map((o) => o.tool)];
    const query = [ctx.request, ...ctx.history.slice(-2).filter((t) => t.role === 'user' && t.provenance === 'requester').map((t) => t.content)].join('\n');
    const tools = selectTools(query, ctx.tools, { recentTools, max: this.deps.maxTools ?? 10, countTokens: (text) => this.deps.tokens.count(text) });
    const atCap = ctx.iteration >= this.maxIterations;
    const callTools = atCap ? [] : [SUBMIT_PLAN_TOOL, ASK_USER_TOOL];
    const working = ctx.observations.length > 0 ? `${renderObservations(ctx.observations)}${atCap ? `\n${FINAL_ANSWER_NOTE}` : ''}` : undefined;
    const assembled = await this.deps.contextFor(ctx).assemble({
      system: renderSystem(tools),
      facts,
      history: ctx.history,
      request: ctx.request,
      ...(working ? { working } : {}),
      threshold: this.deps.compressionThreshold,
      reservedTokens: callTools.length > 0 ? this.deps.tokens.count(JSON.stringify(callTools)) : 0,
    });
    const callCtx = { budget: ctx.budget, signal: ctx.signal, logger: ctx.logger };
    const first = await this.deps.gateway.call(tier, {
      messages: assembled.messages,
      tools: callTools,
      toolChoice: 'auto',
      onDelta: (text) => ctx.onAnswerDelta(text),
      purpose: atCap ? 'final-answer' : ctx.observations.length > 0 ? 'replan' : 'plan',
    }, callCtx);
    // Whatever was in the prompt besides the requester's own words may have steered the model.
    const untrusted = assembled.untrusted || ctx.observations.length > 0;
    const decision = this.interpret(first, reason, ctx, untrusted);
    if (decision.kind !== 'invalid') return decision.value;

    ctx.logger.warn({ runId: ctx.runId, problems: decision.problems }, 'model plan invalid; asking for one repair');
    const repairMessages: ChatMessage[] = [
      ...assembled.messages,
      {
        role: 'assistant',
        content: first.content || null,
        ...(first.toolCalls.length > 0 ? { tool_calls: first.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
      },
      ...first.toolCalls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: `Rejected: ${decision.problems.join('; ')}` })),
      { role: 'user', content: `Your plan was rejected: ${decision.problems.join('; ')}. Call submit_plan again with a corrected plan using only the listed tools, or ask_user.` },
    ];
    const repaired = await this.deps.gateway.call(first.tier, { messages: repairMessages, tools: callTools, toolChoice: 'auto', purpose: 'repair' }, callCtx);
    const second = this.interpret(repaired, `${reason}; repaired after invalid output`, ctx, untrusted);
    if (second.kind !== 'invalid') {
      if (second.value.kind === 'answer') ctx.onAnswerDelta(second.value.text);
      return second.value;
    }
    throw new ModelOutputError('model output invalid after one repair', { problems: second.problems });
  }

  private interpret(result: ModelCallResult, reason: string, ctx: PlanningContext, untrusted: boolean): { kind: 'ok'; value: PlannerDecision } | { kind: 'invalid'; problems: readonly string[] } {
    const tier = result.tier;
    const flags = untrusted ? { untrustedInput: true } : {};
    if (result.toolCalls.length === 0) {
      const text = result.content.trim();
      return text ? { kind: 'ok', value: { kind: 'answer', text, tier, ...flags } } : { kind: 'invalid', problems: ['the reply was empty'] };
    }
    const parsed = this.validator.parse(result.toolCalls, ctx.tools);
    if (parsed.kind === 'invalid') return parsed;
    if (parsed.kind === 'clarify') return { kind: 'ok', value: { kind: 'clarify', question: parsed.question, tier, ...flags } };
    return {
      kind: 'ok',
      value: {
        kind: 'plan',
        plan: parsed.plan,
        tier,
        reason: `${reason} (${result.model})`,
        ...(untrusted ? { derivedFromToolOutput: true, untrustedInput: true } : {}),
      },
    };
  }
}
