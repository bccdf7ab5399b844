import type { Logger } from './core/logger.js';

/**
 * Nothing may fail silently. A stray rejection is logged with its cause and the process carries on
 * (every request has its own handler, so one is never a reason to drop the others); an uncaught
 * exception leaves the process in an unknown state, so it is logged and `onFatal` stops it cleanly.
 */
export function installProcessGuards(logger: Logger, onFatal: (reason: string) => void): void {
  const log = logger.child({ component: 'process' });
  const context = () => ({ pid: process.pid, uptimeS: Math.round(process.uptime()), rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason instanceof Error ? reason : { message: String(reason) }, ...context() }, 'unhandled promise rejection');
  });
  process.on('uncaughtException', (error, origin) => {
    log.fatal({ err: error, origin, ...context() }, 'uncaught exception: stopping');
    // The log is written asynchronously; the fatal line must be out before the process goes.
    log.flush(() => onFatal('uncaughtException'));
  });
}
