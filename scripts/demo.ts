/**
 * `npm run demo`: starts the GrowingIO sandbox and runs examples/dashboard-charts.workflow.json
 * through n8n's execution engine (in this process), then prints what each node produced.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { IWorkflowBase } from 'n8n-workflow';

import { startSandbox } from '../sandbox/server';
import { credentialsFor, runWorkflow } from '../test/helpers/harness';
import { tokenCredentials } from '../test/helpers/sandboxClient';

process.env.N8N_USER_FOLDER ??= join(__dirname, '..', '.cache', 'demo-n8n');
process.env.N8N_ENCRYPTION_KEY ??= 'growingio-demo-only-key';

async function main() {
	const sandbox = await startSandbox({ quiet: true });
	const examplePath = join(__dirname, '..', 'examples', 'dashboard-charts.workflow.json');
	const workflow = JSON.parse(readFileSync(examplePath, 'utf8')) as IWorkflowBase;
	console.log(`GrowingIO sandbox at ${sandbox.url} (project ${sandbox.project.uid})`);
	console.log(`Running "${workflow.name}" from examples/ through n8n's engine…\n`);

	try {
		const run = await runWorkflow({ workflow, credentialsHelper: credentialsFor(tokenCredentials(sandbox)) });
		for (const node of workflow.nodes) {
			const task = run.data.resultData.runData[node.name]?.[0];
			if (!task || node.type === 'n8n-nodes-base.manualTrigger') continue;
			if (task.error) {
				console.log(`✖ ${node.name}: ${task.error.message}`);
				continue;
			}
			const items = task.data?.main?.[0] ?? [];
			console.log(`▶ ${node.name}: ${items.length} item(s)`);
			console.table(items.map((item) => item.json));
		}
		const api = sandbox.requests.filter((r) => r.countsTowardLimit);
		console.log(
			`\nWorkflow ${run.status}. GrowingIO requests: ${api.length}, most in any 1 s window: ${sandbox.maxRequestsInAnyWindow(1000)} (limit 2), 429 answers: ${api.filter((r) => r.status === 429).length}`,
		);
		process.exitCode = run.status === 'success' ? 0 : 1;
	} finally {
		await sandbox.close();
	}
}

void main();
