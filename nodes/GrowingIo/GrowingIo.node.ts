import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as dashboard from './actions/dashboard/Dashboard.resource';
import { router } from './actions/router';
import { searchDashboards } from './methods/listSearch';

export class GrowingIo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'GrowingIO',
		name: 'growingIo',
		icon: { light: 'file:growingio.svg', dark: 'file:growingio.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read dashboards, charts and reports from GrowingIO, throttled to its rate limit',
		defaults: { name: 'GrowingIO' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'growingIoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Dashboard (看板)', value: 'dashboard' }],
				default: 'dashboard',
			},
			...dashboard.description,
		],
	};

	methods = { listSearch: { searchDashboards } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
