/**
 * The queue-mode test's workflows: Webhook (production URL, responds at once, so the main only
 * enqueues the execution and a worker runs it) → Set (the run's reports as one list) → Split Out
 * (one item per report) → the service's node, one report per item → HTTP Request posting each
 * report to the test's collector, which counts deliveries.
 */
import type { Json, WorkflowFile } from '../e2e/extraPackages';

export const REPORTS_NODE = 'One Item per Report';
export const SERVICE_NODE = 'Get Report';

export interface ReportRequest extends Json {
	/** 0 … reports−1 within its workflow: with the workflow id, what a delivery is counted by. */
	index: number;
}

export interface QueueWorkflowSpec {
	id: string;
	name: string;
	webhookPath: string;
	reports: ReportRequest[];
	/** The service node: type, parameters (reading the item's fields by expression) and credential. */
	service: { type: string; parameters: Json; credentials: Record<string, { id: string; name: string }> };
	collectorUrl: string;
}

/** What the delivery step posts for each report: who ran it, which report, what came back. */
export interface Delivery {
	workflowId: string;
	executionId: string;
	index: number;
	request: Json;
	/** The report's own id where the service returns one (GrowingIO charts do). */
	reportId: unknown;
}

export function queueWorkflow(spec: QueueWorkflowSpec): WorkflowFile {
	const names = ['Webhook', 'Reports', REPORTS_NODE, SERVICE_NODE, 'Deliver Report'];
	const node = (index: number, type: string, typeVersion: number, parameters: Json, extra: Json = {}) => ({
		id: `${spec.id}-node-${index}`,
		name: names[index],
		type,
		typeVersion,
		position: [220 * index, 0],
		parameters,
		...extra,
	});
	const body = [
		'={{ JSON.stringify({',
		'workflowId: $workflow.id,',
		'executionId: $execution.id,',
		`index: $('${REPORTS_NODE}').item.json.index,`,
		`request: $('${REPORTS_NODE}').item.json,`,
		'reportId: $json.id === undefined ? null : $json.id',
		'}) }}',
	].join(' ');
	return {
		id: spec.id,
		name: spec.name,
		active: false,
		nodes: [
			node(0, 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: spec.webhookPath, responseMode: 'onReceived', options: {} }, { webhookId: `${spec.id}-hook` }),
			node(1, 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ reports: spec.reports }), options: {} }),
			node(2, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'reports', options: {} }),
			node(3, spec.service.type, 1, spec.service.parameters, { credentials: spec.service.credentials }),
			node(4, 'n8n-nodes-base.httpRequest', 4.2, {
				method: 'POST',
				url: spec.collectorUrl,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: body,
				options: {},
			}),
		],
		connections: Object.fromEntries(names.slice(0, -1).map((from, index) => [from, { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] }])),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
