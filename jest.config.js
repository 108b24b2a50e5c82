/** Tests run TypeScript through ts-jest in transpile-only mode; `tsc --noEmit` type-checks separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true, module: 'commonjs', moduleResolution: 'node10', target: 'ES2022', esModuleInterop: true } }],
    // ESM-only dependencies (yargs, ora, client-node), so that the CLI runs inside the jest process.
    '^.+\\.m?js$': '<rootDir>/test/support/esm-transform.cjs',
  },
  transformIgnorePatterns: [],
  setupFiles: ['<rootDir>/test/support/state-home.js'],
  testTimeout: 60000,
  // `npm run coverage`: what the in-process tests reach of src/ (the binary tier runs outside jest's sight).
  collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
  coverageReporters: ['json-summary', 'text-summary'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
