/**
 * `npm run demo`: starts the GrowingIO sandbox and runs two examples through n8n's execution
 * engine (in this process): examples/dashboard-charts.workflow.json (dashboards and their charts)
 * and examples/daily-kpi-digest.workflow.json from its Run Now trigger (yesterday's numbers of
 * every chart on a dashboard), then prints what the nodes produced and the digest's message.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type INodeExecutionData,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox/server';
import { credentialsFor, nodeResult, nodeTypes, runWorkflow } from '../test/helpers/harness';
import { tokenCredentials } from '../test/helpers/sandboxClient';

process.env.N8N_USER_FOLDER ??= join(__dirname, '..', '.cache', 'demo-n8n');
process.env.N8N_ENCRYPTION_KEY ??= 'growingio-demo-only-key';

const DIGEST_START = 'Run Now';
const DIGEST_MESSAGE_NODE = 'Build Message';

function example(fileName: string): IWorkflowBase {
	return JSON.parse(readFileSync(join(__dirname, '..', 'examples', fileName), 'utf8')) as IWorkflowBase;
}

/**
 * The nodes this engine can run (the Manual Trigger stand-in and GrowingIO's own), with only the
 * connections between them: n8n-nodes-base (Schedule Trigger, Set, Slack…) is not installed here.
 */
function runnablePart(workflow: IWorkflowBase, start: string): IWorkflowBase {
	const runnable = (type: string) => type === 'n8n-nodes-base.manualTrigger' || type.startsWith('n8n-nodes-growingio.');
	const nodes = workflow.nodes.filter((node) => runnable(node.type) && (node.type !== 'n8n-nodes-base.manualTrigger' || node.name === start));
	const names = new Set(nodes.map((node) => node.name));
	const connections = Object.fromEntries(
		Object.entries(workflow.connections)
			.filter(([source]) => names.has(source))
			.map(([source, outputs]) => [
				source,
				{ main: (outputs.main ?? []).map((targets) => (targets ?? []).filter((target) => names.has(target.node))) },
			]),
	);
	return { ...workflow, nodes, connections };
}

/**
 * What a Set node (Manual Mapping) would output for `inputItems`: each assignment's value
 * evaluated by n8n's expression engine, exactly as written in the example, with `$input` being
 * those items. The node runs once (the example sets Execute Once), so this is one item.
 */
function setNodeOutput(workflowBase: IWorkflowBase, nodeName: string, run: IRun, inputItems: INodeExecutionData[]): IDataObject {
	// n8n's Workflow skips node types it does not know (Set, Schedule Trigger); ours throws for them.
	const tolerantTypes: INodeTypes = {
		getByName: (type) => nodeTypes.getByName(type),
		getByNameAndVersion: (type, version) =>
			(type.startsWith('n8n-nodes-base.') && type !== 'n8n-nodes-base.manualTrigger' ? undefined : nodeTypes.getByNameAndVersion(type, version))!,
		getKnownTypes: () => ({}),
	};
	const { id, name, nodes, connections, settings } = workflowBase;
	const workflow = new Workflow({ id, name, nodes, connections, settings, nodeTypes: tolerantTypes, active: false });
	const node = workflow.getNode(nodeName);
	const assignments = (node?.parameters.assignments as { assignments?: Array<{ name: string; value: string }> } | undefined)?.assignments;
	if (!node || node.type !== 'n8n-nodes-base.set' || !assignments) throw new Error(`${nodeName} is not a Set node with manual assignments`);
	const runExecutionData = createRunExecutionData({ resultData: run.data.resultData });
	return Object.fromEntries(
		assignments.map((assignment) => [
			assignment.name,
			workflow.expression.getParameterValue(assignment.value, runExecutionData, 0, 0, nodeName, inputItems, 'manual', {}),
		]),
	);
}

function printNodes(workflow: IWorkflowBase, run: IRun): void {
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.manualTrigger') continue;
		const { items, error } = nodeResult(run, node.name);
		if (!run.data.resultData.runData[node.name]) continue;
		if (error) {
			console.log(`✖ ${node.name}: ${error.message}`);
			continue;
		}
		console.log(`▶ ${node.name}: ${items.length} item(s)`);
		console.table(items.map((item) => item.json));
	}
}

function printPace(sandbox: Sandbox): void {
	const api = sandbox.requests.filter((r) => r.countsTowardLimit);
	console.log(
		`GrowingIO requests: ${api.length}, most in any 1 s window: ${sandbox.maxRequestsInAnyWindow(1000)} (limit 2), 429 answers: ${api.filter((r) => r.status === 429).length}\n`,
	);
}

async function main() {
	const sandbox = await startSandbox({ quiet: true });
	const credentialsHelper = credentialsFor(tokenCredentials(sandbox));
	console.log(`GrowingIO sandbox at ${sandbox.url} (project ${sandbox.project.uid})`);
	let ok = true;
	try {
		const charts = example('dashboard-charts.workflow.json');
		console.log(`\n■ "${charts.name}" from examples/ through n8n's engine…\n`);
		const chartsRun = await runWorkflow({ workflow: charts, credentialsHelper });
		printNodes(charts, chartsRun);
		console.log(`\nWorkflow ${chartsRun.status}.`);
		printPace(sandbox);
		ok &&= chartsRun.status === 'success';

		sandbox.resetRequests();
		const digest = example('daily-kpi-digest.workflow.json');
		console.log(`■ "${digest.name}" from its ${DIGEST_START} trigger…\n`);
		const digestRun = await runWorkflow({ workflow: runnablePart(digest, DIGEST_START), credentialsHelper });
		const kpis = digest.connections[DIGEST_START].main[0]![0].node;
		const { items, error } = nodeResult(digestRun, kpis);
		if (error || digestRun.status !== 'success') {
			console.log(`✖ ${kpis}: ${error?.message ?? digestRun.status}`);
			ok = false;
		} else {
			const perChart = new Map<string, number>();
			for (const { json } of items) perChart.set(String(json.chartName), (perChart.get(String(json.chartName)) ?? 0) + 1);
			console.log(`▶ ${kpis}: ${items.length} row(s) from ${perChart.size} reports (first rows below)`);
			console.table(items.slice(0, 5).map((item) => item.json));
			const message = setNodeOutput(digest, DIGEST_MESSAGE_NODE, digestRun, items);
			console.log(`\n▶ ${DIGEST_MESSAGE_NODE} → the message a Slack (DingTalk, WeCom, email) node would receive as {{ $json.text }}:\n`);
			console.log(String(message.text));
			console.log(`\nWorkflow ${digestRun.status}.`);
		}
		printPace(sandbox);
		process.exitCode = ok ? 0 : 1;
	} finally {
		await sandbox.close();
	}
}

void main();
