import { isSwitchboardError } from './core/errors.js';
import { createLogger, logLevelOf, wantsPrettyLogs } from './core/logger.js';
import { startSwitchboard, type Switchboard } from './app/startSwitchboard.js';
import { installProcessGuards } from './processGuards.js';

// `npm start`: the whole product in one process. Configuration errors are printed plainly (they
// name the variable, never its value) and exit non-zero; SIGINT/SIGTERM drain and stop cleanly.
const startedAt = Date.now();
let app: Switchboard | undefined;
let stopping = false;

// People at a terminal get one coloured line per event; a pipe or a log collector gets JSON.
const logger = createLogger({ level: logLevelOf(process.env.LOG_LEVEL), pretty: wantsPrettyLogs(process.env.LOG_PRETTY, process.stdout.isTTY === true) });
installProcessGuards(logger, (reason) => shutdown(reason, 1));

try {
  app = await startSwitchboard({ printBanner: true, startedAt, logger });
} catch (error) {
  const text = isSwitchboardError(error) ? `${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`\nSwitchboard could not start:\n${text}\n`);
  process.exit(1);
}

function shutdown(signal: string, exitCode = 0): void {
  if (stopping) {
    process.stderr.write(`\n${signal} again: exiting now.\n`);
    process.exit(1);
  }
  stopping = true;
  process.stdout.write(`\n${signal} received: finishing in-flight work and shutting down…\n`);
  // A stuck dependency must not keep the process alive forever.
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  if (!app) process.exit(exitCode || 1);
  void app.stop().then(
    () => process.exit(exitCode),
    () => process.exit(1),
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
