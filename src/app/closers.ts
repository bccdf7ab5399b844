import type { Logger } from '../core/logger.js';

/**
 * What startup opened, closed in reverse order. Startup registers each resource right after it
 * opens, so a failure halfway still releases everything that was already running.
 */
export class Closers {
  private readonly stack: { name: string; close: () => Promise<void> }[] = [];
  private closing?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  add(name: string, close: () => Promise<void>): void {
    this.stack.push({ name, close });
  }

  closeAll(): Promise<void> {
    this.closing ??= (async () => {
      for (const { name, close } of this.stack.reverse()) {
        try {
          await close();
        } catch (error) {
          this.logger.warn({ component: name, err: { message: error instanceof Error ? error.message : String(error) } }, 'shutdown step failed');
        }
      }
    })();
    return this.closing;
  }
}
