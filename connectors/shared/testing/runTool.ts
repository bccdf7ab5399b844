import type { ToolContext, ToolDefinition } from '../../../src/tools/tool.js';
import { summarizeToolOutput } from '../../../src/tools/outputSummary.js';

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

/**
 * The tool's own `summarize` sentence for a real output, as the engine shows it (output and args
 * parsed by the tool's schemas); fails when the tool has none or the engine would fall back.
 */
export function summaryOf<I, O>(tool: ToolDefinition<I, O>, output: unknown, args: unknown): string {
  if (!tool.summarize) throw new Error(`tool ${tool.name} has no summarize`);
  const line = tool.summarize(tool.output.parse(output), tool.input.parse(args));
  const shown = summarizeToolOutput(tool as ToolDefinition<unknown, unknown>, output, args);
  if (shown !== line) throw new Error(`tool ${tool.name}: the engine shows "${shown}", not its sentence "${line}"`);
  return line;
}
