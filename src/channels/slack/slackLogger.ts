import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * Routes Bolt's and the WebClient's logging into the product's pino logger (with its redaction), so
 * SDK messages land in the same structured stream instead of the console.
 */
export function toSlackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  let level: LogLevel = LogLevel.INFO;
  const text = (parts: unknown[]): string => parts.map((part) => (typeof part === 'string' ? part : String(part))).join(' ');
  return {
    debug: (...parts: unknown[]) => child.debug(text(parts)),
    info: (...parts: unknown[]) => child.info(text(parts)),
    warn: (...parts: unknown[]) => child.warn(text(parts)),
    error: (...parts: unknown[]) => child.error(text(parts)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
