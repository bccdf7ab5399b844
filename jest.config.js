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
};
