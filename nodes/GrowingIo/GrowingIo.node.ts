import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as chart from './actions/chart/Chart.resource';
import * as dashboard from './actions/dashboard/Dashboard.resource';
import * as funnel from './actions/funnel/Funnel.resource';
import * as rawExport from './actions/rawExport/RawExport.resource';
import * as retention from './actions/retention/Retention.resource';
import * as rule from './actions/rule/Rule.resource';
import * as segment from './actions/segment/Segment.resource';
import { router } from './actions/router';
import { growingIoApiTest } from './methods/credentialTest';
import { searchCharts, searchDashboards, searchFunnels, searchRetentions, searchSegments } from './methods/listSearch';

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
		credentials: [{ name: 'growingIoApi', required: true, testedBy: 'growingIoApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chart (单图)', value: 'chart' },
					{ name: 'Dashboard (看板)', value: 'dashboard' },
					{ name: 'Funnel (漏斗)', value: 'funnel' },
					{ name: 'Raw Export (原始数据导出)', value: 'rawExport' },
					{ name: 'Retention (留存)', value: 'retention' },
					{ name: 'Rule (圈选规则)', value: 'rule' },
					{ name: 'Segment (分群)', value: 'segment' },
				],
				default: 'dashboard',
			},
			...chart.description,
			...dashboard.description,
			...funnel.description,
			...rawExport.description,
			...retention.description,
			...rule.description,
			...segment.description,
		],
	};

	methods = { credentialTest: { growingIoApiTest }, listSearch: { searchCharts, searchDashboards, searchFunnels, searchRetentions, searchSegments } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
