/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test', '<rootDir>/packages'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/', '/dist/'],
	// Each package's build output: its dist/package.json would clash with the package's own.
	modulePathIgnorePatterns: ['<rootDir>/packages/[^/]+/dist/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFiles: ['<rootDir>/test/setupEnv.ts'],
	testTimeout: 60000,
};
