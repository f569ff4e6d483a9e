/** Tests run against a real PostgreSQL (embedded, started once in globalSetup) and real Chromium. */
// openid-client and its two dependencies ship only as ES modules; Node requires them, Jest's loader needs them as CommonJS.
const esmOnly = ['openid-client', 'oauth4webapi', 'jose'];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    [`node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          target: 'ES2022',
          isolatedModules: true,
          skipLibCheck: true,
        },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  verbose: false,
};
