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
		// "Get Data: Chart": the names shown in the Resource and Operation lists, by `resource.operation`.
		subtitle:
			'={{ {"chart.getData":"Get Data: Chart","dashboard.get":"Get: Dashboard","dashboard.getData":"Get Data: Dashboard","dashboard.getMany":"Get Many: Dashboard","funnel.getData":"Get Data: Funnel","rawExport.download":"Download: Raw Export","rawExport.getDownloadLinks":"Get Download Links: Raw Export","rawExport.getRows":"Get Rows: Raw Export","retention.getData":"Get Data: Retention","rule.getMany":"Get Many: Rule","segment.getMany":"Get Many: Segment","segment.getUsers":"Get Users: Segment"}[$parameter["resource"] + "." + $parameter["operation"]] }}',
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
					{ name: 'Chart', value: 'chart' },
					{ name: 'Dashboard', value: 'dashboard' },
					{ name: 'Funnel', value: 'funnel' },
					{ name: 'Raw Export', value: 'rawExport' },
					{ name: 'Retention', value: 'retention' },
					{ name: 'Rule', value: 'rule' },
					{ name: 'Segment', value: 'segment' },
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
