import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

const WORKER = fileURLToPath(new URL('./engineWorker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let bundled: Promise<string> | undefined;

/**
 * The worker's own sources bundled once per test file (packages stay external and resolve from
 * node_modules), so every child starts with plain node instead of transpiling on the fly: children
 * start in a fraction of the time on a 2-core machine.
 */
export function workerBundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = `${ROOT}node_modules/.cache/sbtest/engineWorker-${process.pid}.mjs`;
    try {
      await build({ entryPoints: [WORKER], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
    } finally {
      // esbuild keeps its service child process running for later calls; every test file loads its own
      // copy of esbuild, so without this each file that bundles leaves one behind in the jest worker.
      await stop();
    }
    return outfile;
  })();
  return bundled;
}

export interface WorkerChild {
  readonly process: ChildProcess;
  /** Resolves once the worker printed "ready". */
  readonly ready: Promise<void>;
  /** Everything the worker printed so far. */
  output(): string;
  /** Resolves with the exit code or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Starts test/support/engineWorker.ts (bundled, see workerBundle) with the given environment. */
export function startWorkerChild(bundle: string, env: Record<string, string>): WorkerChild {
  const child = spawn(process.execPath, ['--no-warnings', bundle], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    void exited.then(({ code, signal }) => reject(new Error(`worker exited before ready (code ${code}, signal ${signal}): ${stderr}`)));
  });
  ready.catch(() => undefined);
  return {
    process: child,
    ready,
    output: () => stdout,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
