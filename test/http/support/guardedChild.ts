import { createLogger } from '../../../src/core/logger.js';
import { installProcessGuards } from '../../../src/processGuards.js';

// A child process for processGuards.test.ts: a stray rejection, proof the process carried on, then
// an uncaught exception that must be logged and end in the fatal handler.
installProcessGuards(createLogger({ level: 'info' }), (reason) => {
  process.stdout.write(`fatal handler: ${reason}\n`);
  process.exit(3);
});
void Promise.reject(new Error('stray rejection from a forgotten promise'));
setTimeout(() => {
  process.stdout.write('still serving\n');
  setTimeout(() => {
    throw new Error('boom outside any handler');
  }, 10);
}, 50);
