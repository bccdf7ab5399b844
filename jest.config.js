// Native ESM under jest: the code base is ESM ("type": "module") and Prisma's generated client uses
// import.meta, so tests run the same module format as production.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { target: 'es2022', parser: { syntax: 'typescript' }, experimental: { keepImportAttributes: true } },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // jwks-rsa (Agents SDK JWT check) require()s the ESM-only jose, which jest cannot load on Node 20.
    '^jose$': '<rootDir>/test/support/teamsJoseShim.cjs',
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/connectors/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  // On Node 20 every test file's vm modules (and so everything its module scope and test closures
  // reference) stay alive in the worker until it exits, whatever the teardown: a worker grows by the
  // module graphs of all its files (~0.7-1.7 GB RSS over a full run). Recycle a worker once it holds
  // this much heap after a file ...
  workerIdleMemoryLimit: '512MB',
  // ... and give it time to exit: freeing ~1 GB takes 0.5-1 s on a 2-core machine, past jest's 500 ms
  // default, which then reports a "failed to exit gracefully" leak although no handle is open. A
  // worker that really leaks a handle never exits and still gets that warning.
  workerGracefulExitTimeout: 3000,
};
