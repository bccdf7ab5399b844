import { SwitchboardError } from '../core/errors.js';

/**
 * The server misbehaved (unreachable, malformed answer, oversized result, protocol error). Retryable,
 * so the pipeline's breaker for this server counts it and opens after repeated failures.
 */
export class McpServerError extends SwitchboardError {
  constructor(server: string, problem: string, cause?: unknown) {
    super('mcp_server_error', `MCP server ${server}: ${problem}`, {
      userMessage: `${server} did not answer properly, so I could not use it.`,
      retryable: true,
      ...(cause === undefined ? {} : { cause }),
    });
  }
}

export class McpResultTooLargeError extends SwitchboardError {
  constructor(server: string, bytes: number, limit: number) {
    super('mcp_result_too_large', `MCP server ${server} returned ${bytes} bytes (limit ${limit})`, {
      userMessage: `${server} sent back far more data than expected, so I did not use it.`,
      retryable: true,
    });
  }
}

/** The tool ran and reported a failure (`isError`) or refused the arguments: the server works, the call did not. */
export class McpToolError extends SwitchboardError {
  constructor(server: string, tool: string, detail: string) {
    super('mcp_tool_error', `MCP tool ${tool} on ${server} failed: ${detail.slice(0, 500)}`, {
      userMessage: `${server} reported that ${tool} failed.`,
      details: { detail: detail.slice(0, 500) },
    });
  }
}

/** The server has not been reachable since start (or since its tools disappeared). */
export class McpServerDownError extends SwitchboardError {
  constructor(server: string) {
    super('mcp_server_unavailable', `MCP server ${server} is not connected`, {
      userMessage: `${server} is not reachable right now. Please try again later.`,
      retryable: true,
    });
  }
}
