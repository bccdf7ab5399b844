import type { ToolContext, ToolDefinition } from '../../../src/tools/tool.js';

/** Runs a tool the way the engine does: validate input with the tool's schema, execute, validate output. */
export async function runTool<I, O>(tool: ToolDefinition<I, O>, ctx: ToolContext, args: unknown): Promise<O> {
  const input = tool.input.parse(args);
  return tool.output.parse(await tool.execute(ctx, input));
}

export function toolByName(tools: readonly ToolDefinition[], name: string, connector = 'connector'): ToolDefinition {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no ${connector} tool ${name}`);
  return tool;
}

/** Resolves to the rejection reason, failing when the promise resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
