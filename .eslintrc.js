/**
 * eslint-plugin-n8n-nodes-base with its three rule sets, as in n8n's node starter:
 * community rules for package.json, credential rules for credentials/, node rules for nodes/;
 * for the GrowingIO package at the root and for each package under packages/.
 *
 * Plus the dependency rules between the shared core and the services (no-restricted-imports):
 * the core imports no service; a service never imports another service; a credential imports
 * only the core and its own service's auth.
 * @type {import('@types/eslint').ESLint.ConfigData}
 */

/** Each service: where its package lives, its node folders and the module its credential may use for auth. */
const services = [
	{
		packageDir: '.',
		packageName: 'n8n-nodes-growingio',
		nodeFolders: ['GrowingIo', 'GrowingIoTrigger'],
		// pace: the GrowingIO policy (2 per second, one budget per project) the credential waits on.
		credentialMayImport: ['GrowingIo/transport/auth', 'GrowingIo/transport/keyPairLogin', 'GrowingIo/transport/pace'],
	},
	{ packageDir: 'packages/n8n-nodes-openpanel', packageName: 'n8n-nodes-openpanel', nodeFolders: ['OpenPanel', 'OpenPanelTrigger'], credentialMayImport: ['OpenPanel/transport/auth'] },
	{ packageDir: 'packages/n8n-nodes-saferme', packageName: 'n8n-nodes-saferme', nodeFolders: ['SaferMe'], credentialMayImport: ['SaferMe/transport/session'] },
];

const under = (service, folder) => (service.packageDir === '.' ? `./${folder}/**/*.ts` : `./${service.packageDir}/${folder}/**/*.ts`);

/** Imports that reach another service: its package folder, its package name or one of its node folders. */
function otherServices(service) {
	return [
		'**/packages/**',
		...services
			.filter((other) => other !== service)
			.flatMap((other) => [other.packageName, `${other.packageName}/**`, `**/${other.packageName}/**`, ...other.nodeFolders.map((folder) => `**/${folder}/**`)]),
	];
}

/**
 * Gitignore-style patterns that refuse every relative import except the given paths: gitignore
 * cannot re-include a file whose folder is excluded, so each folder on the way is re-included and
 * its other entries excluded again, level by level.
 */
function onlyRelative(allowed) {
	const paths = allowed.map((module) => module.split('/'));
	const patterns = ['./*', '../*'];
	for (let depth = 2; depth <= Math.max(...paths.map((parts) => parts.length)); depth++) {
		for (const parts of paths) if (parts.length >= depth) patterns.push(`!${parts.slice(0, depth).join('/')}`);
		for (const parts of paths) if (parts.length > depth) patterns.push(`${parts.slice(0, depth).join('/')}/*`);
	}
	return [...new Set(patterns)];
}

const dependencyRules = [
	{
		files: ['./core/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: ['**/nodes', '**/nodes/**', '**/credentials', '**/credentials/**', '**/packages/**', 'n8n-nodes-*'],
							message: 'The core imports no service: move what both need into core/, or pass it in from the service.',
						},
					],
				},
			],
		},
	},
	...services.map((service) => ({
		files: [under(service, 'nodes')],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: otherServices(service), message: 'A service never imports another service: share code through core/.' }] },
			],
		},
	})),
	...services.map((service) => ({
		files: [under(service, 'credentials')],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: onlyRelative(['../core', ...service.credentialMayImport.map((module) => `../nodes/${module}`)]),
							message: "A credential imports only the core and its own service's auth.",
						},
					],
				},
			],
		},
	})),
];

module.exports = {
	root: true,
	env: { browser: true, es6: true, node: true },
	parser: '@typescript-eslint/parser',
	parserOptions: {
		project: ['./tsconfig.json', './packages/*/tsconfig.json'],
		sourceType: 'module',
		extraFileExtensions: ['.json'],
	},
	ignorePatterns: ['.eslintrc.js', '**/*.js', '**/node_modules/**', '**/dist/**'],
	overrides: [
		{
			files: ['package.json', './packages/*/package.json'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/community'],
		},
		{
			files: ['./credentials/**/*.ts', './packages/*/credentials/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/credentials'],
			rules: {
				// The rule itself says it applies to n8n's main repository only, where documentationUrl is a
				// docs slug; community credentials must give a full URL.
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			},
		},
		{
			files: ['./nodes/**/*.ts', './packages/*/nodes/**/*.ts'],
			plugins: ['eslint-plugin-n8n-nodes-base'],
			extends: ['plugin:n8n-nodes-base/nodes'],
			rules: {
				// These two predate NodeConnectionTypes.Main, which current n8n (and its community lint,
				// rule node-connection-type-literal) asks for instead of the string 'main'.
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			},
		},
		...dependencyRules,
	],
};
