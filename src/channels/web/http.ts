import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { PayloadTooLargeError, readBody, sendJson } from '../../http/httpApp.js';

/** The one error shape the playground API answers with; `message` is written for a person. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } }, { 'cache-control': 'no-store' });
}

/**
 * Reads and validates a JSON body. Resolves undefined after answering the client itself (wrong
 * content type, too large, not JSON, failing the schema), so handlers just return.
 */
export async function readJson<T>(req: IncomingMessage, res: ServerResponse, schema: z.ZodType<T>, limitBytes: number): Promise<T | undefined> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    sendError(res, 415, 'unsupported_media_type', 'Send the request as JSON (content-type: application/json).');
    return undefined;
  }
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limitBytes) {
    sendError(res, 413, 'payload_too_large', `That request is too large (the limit is ${limitBytes} bytes).`);
    req.resume();
    return undefined;
  }
  let raw: string;
  try {
    raw = await readBody(req, limitBytes);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) {
      sendError(res, 413, 'payload_too_large', `That request is too large (the limit is ${limitBytes} bytes).`);
      return undefined;
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    sendError(res, 400, 'invalid_json', 'The request body is not valid JSON.');
    return undefined;
  }
  return validate(res, schema, value);
}

export function validate<T>(res: ServerResponse, schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.');
  const what = issue?.message ?? 'the request is not valid';
  // Our schemas word their own messages for people; zod's type errors need the field named.
  sendError(res, 400, 'invalid_input', capitalize(field && issue?.code === 'invalid_type' ? `${field}: ${what}` : what));
  return undefined;
}

function capitalize(text: string): string {
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function queryOf(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
}
