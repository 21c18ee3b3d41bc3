// Two projects: `unit` runs pure logic with no servers; `integration` talks to
// the real servers that scripts/test-env/up.sh starts. A third, `e2e`, deploys
// the Ansible collection onto systemd-nspawn guests (root, about 15 minutes);
// scripts/test.sh adds it by setting WEFT_E2E=1, and a developer runs it
// alone with `WEFT_E2E=1 npx jest --selectProjects e2e --runInBand`.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  },
];

const shared = {
  testEnvironment: 'node',
  // Crawl only the code: test/env/state holds the test servers' files (Keycloak alone has thousands).
  roots: ['<rootDir>/src', '<rootDir>/test'],
  modulePathIgnorePatterns: ['<rootDir>/test/env/state/'],
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // A global option: Jest ignores testTimeout inside a project.
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
    },
    ...(process.env.WEFT_E2E === '1'
      ? [{ ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'] }]
      : []),
  ],
};
