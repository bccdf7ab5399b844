import { createLogger, type Logger } from '../../../src/core/logger.js';

/** A pino logger whose every line lands in `lines`, so tests can prove no token is ever logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}
