/**
 * `npm run sandbox`: the GrowingIO sandbox on SANDBOX_PORT (default 8787, 0 = any free port),
 * until SIGINT or SIGTERM. Optional: SANDBOX_RPS (default 2, 0 = no limit),
 * SANDBOX_EXPORT_RUNNING_MS (default 0), SANDBOX_LARGE_PART_ROWS (default 0), SANDBOX_QUIET=1.
 */
import { RAW_EXPORT_CASES } from './rawExport';
import { startSandbox } from './server';

function numberFromEnv(name: string, fallback: number): number {
	const text = process.env[name];
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0) {
		process.stderr.write(`${name} must be a number ≥ 0, got "${text}"\n`);
		process.exit(2);
	}
	return value;
}

async function main(): Promise<void> {
	const largePartRows = numberFromEnv('SANDBOX_LARGE_PART_ROWS', 0);
	const sandbox = await startSandbox({
		port: numberFromEnv('SANDBOX_PORT', 8787),
		requestsPerSecond: numberFromEnv('SANDBOX_RPS', 2),
		exportRunningMs: numberFromEnv('SANDBOX_EXPORT_RUNNING_MS', 0),
		largePartRows,
		quiet: process.env.SANDBOX_QUIET === '1',
	});
	const { project } = sandbox;
	const lines = [
		'GrowingIO sandbox is running',
		`  URL                ${sandbox.url}`,
		`  API token          ${sandbox.apiToken}`,
		`  Project UID        ${project.uid}`,
		`  Project ID (ai)    ${project.ai}`,
		`  Public key         ${project.publicKey}`,
		`  Private key        ${project.privateKey}`,
		`  Control API        ${sandbox.url}/__sandbox/faults, ${sandbox.url}/__sandbox/requests`,
	];
	if (largePartRows) lines.push(`  Large part         ${RAW_EXPORT_CASES.largeDataType} day export ${RAW_EXPORT_CASES.largeDaysAgo} days ago, ${largePartRows} rows`);
	process.stdout.write(`${lines.join('\n')}\n\nPress Ctrl+C to stop.\n`);

	const stop = () => {
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`sandbox failed to start: ${error.message}\n`);
	process.exit(1);
});
