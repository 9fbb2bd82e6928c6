/**
 * `npm run sandbox:openpanel`: the OpenPanel imitation on OPENPANEL_SANDBOX_PORT (default 8788,
 * 0 = any free port) until Ctrl+C. OPENPANEL_SANDBOX_MAX_LIMIT=50 imitates an old server.
 */
import { startOpenPanelSandbox } from './server';

async function main(): Promise<void> {
	const sandbox = await startOpenPanelSandbox({
		port: Number(process.env.OPENPANEL_SANDBOX_PORT ?? 8788),
		maxEventsLimit: Number(process.env.OPENPANEL_SANDBOX_MAX_LIMIT ?? 1000),
	});
	const lines = ['OpenPanel imitation is running', `  Base URL        ${sandbox.url}`, `  Projects        ${sandbox.projects.map((p) => `${p.id} (${p.organizationId})`).join(', ')}`];
	for (const [name, client] of Object.entries(sandbox.clients)) {
		lines.push(`  ${`${name} client`.padEnd(15)} ${client.type.padEnd(5)} id ${client.id}  secret ${client.secret}  project ${client.projectId ?? '(organization-wide: set Project ID)'}`);
	}
	process.stdout.write(`${lines.join('\n')}\n\nPress Ctrl+C to stop.\n`);
	const stop = () => void sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`OpenPanel imitation failed to start: ${error.message}\n`);
	process.exit(1);
});
