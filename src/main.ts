import { isSwitchboardError } from './core/errors.js';
import { startSwitchboard, type Switchboard } from './app/startSwitchboard.js';

// `npm start`: the whole product in one process. Configuration errors are printed plainly (they
// name the variable, never its value) and exit non-zero; SIGINT/SIGTERM drain and stop cleanly.
const startedAt = Date.now();
let app: Switchboard;
try {
  app = await startSwitchboard({ printBanner: true, startedAt });
} catch (error) {
  const text = isSwitchboardError(error) ? `${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`\nSwitchboard could not start:\n${text}\n`);
  process.exit(1);
}

let stopping = false;
const shutdown = (signal: string): void => {
  if (stopping) {
    process.stderr.write(`\n${signal} again: exiting now.\n`);
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(`\n${signal} received: finishing in-flight work and shutting down…\n`);
  // A stuck dependency must not keep the process alive forever.
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  void app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
