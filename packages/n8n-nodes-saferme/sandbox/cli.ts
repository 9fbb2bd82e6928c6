/**
 * `npm run sandbox:saferme`: the SaferMe imitation on SAFERME_PORT (default 8788, 0 = any free
 * port) until SIGINT or SIGTERM. Optional: SAFERME_ACCESS_TTL_S (default 7200) and
 * SAFERME_REFRESH_TTL_S (default 2592000), to watch a token expire and be refreshed.
 */
import { startSaferMeSandbox } from './server';

function seconds(name: string, fallback: number): number {
	const text = process.env[name];
	const value = text === undefined || text === '' ? fallback : Number(text);
	if (!Number.isFinite(value) || value < 0) {
		process.stderr.write(`${name} must be a number ≥ 0, got "${String(text)}"\n`);
		process.exit(2);
	}
	return value;
}

async function main(): Promise<void> {
	const sandbox = await startSaferMeSandbox({
		port: seconds('SAFERME_PORT', 8788),
		accessTokenTtlMs: seconds('SAFERME_ACCESS_TTL_S', 7200) * 1000,
		refreshTokenTtlMs: seconds('SAFERME_REFRESH_TTL_S', 2592000) * 1000,
	});
	const channels = sandbox.data.channels.filter((c) => c.team_id === sandbox.teamId).map((c) => `${c.id} ${c.name}`);
	process.stdout.write(
		[
			'SaferMe imitation is running',
			`  Base URL   ${sandbox.url}`,
			`  Email      ${sandbox.email}`,
			`  Password   ${sandbox.password}`,
			`  Team ID    ${sandbox.teamId}`,
			`  App ID     ${sandbox.appId}`,
			`  Channels   ${channels.join(', ')}`,
			`  Reports    ${sandbox.data.reports.length} over the last 60 days`,
			'',
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => void sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`SaferMe imitation failed to start: ${error.message}\n`);
	process.exit(1);
});
