import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Issue 10 deliver 2: unhandledRejection and uncaughtException are logged with context, never
// silent; a stray rejection does not end the process, an uncaught exception stops it through the
// clean shutdown path.
test('a stray rejection is logged and the process carries on; an uncaught exception is logged and stops it cleanly', async () => {
  const script = fileURLToPath(new URL('./support/guardedChild.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect({ code, stderr }).toEqual({ code: 3, stderr: '' });
  const rejection = lines.find((l) => l.msg === 'unhandled promise rejection');
  expect(rejection).toMatchObject({ level: 50, component: 'process', err: { message: 'stray rejection from a forgotten promise' }, pid: child.pid });
  expect(rejection?.uptimeS).toEqual(expect.any(Number));
  expect(stdout).toContain('still serving');
  expect(lines.find((l) => l.msg === 'uncaught exception: stopping')).toMatchObject({ level: 60, origin: 'uncaughtException', err: { message: 'boom outside any handler' } });
  expect(stdout).toContain('fatal handler: uncaughtException');
}, 30_000);
