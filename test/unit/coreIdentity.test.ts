/**
 * Each package reaches the core through its own path (the root package through core/, the others
 * through their committed `core` symlink). Jest, like Node, resolves a module to its real path, so
 * every path is one module with one state, as in a package's dist where all files require the
 * same compiled core file.
 */
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const PACKAGES = ['n8n-nodes-openpanel', 'n8n-nodes-saferme'];
const CORE_MODULES = ['actions/nodeErrors', 'actions/router', 'helpers/concurrency', 'helpers/listLimit', 'helpers/numberParameters', 'helpers/timeRange', 'transport/rateLimiter', 'transport/failureTexts', 'transport/retryPolicy', 'transport/serviceRequest', 'transport/wait', 'trigger/pollEvents'];

describe('the shared core', () => {
	it.each(PACKAGES)('%s links core/ to the repository core', (name) => {
		const link = path.join(REPO, 'packages', name, 'core');
		expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
		expect(fs.readlinkSync(link)).toBe('../../core');
	});

	it.each(PACKAGES.flatMap((name) => CORE_MODULES.map((module) => [name, module])))('%s/core/%s is the same module as the root core/ one', (name, module) => {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const viaPackage: unknown = require(path.join(REPO, 'packages', name, 'core', module));
		const viaCore: unknown = require(path.join(REPO, 'core', module));
		/* eslint-enable @typescript-eslint/no-require-imports */
		expect(viaPackage).toBe(viaCore);
	});
});
