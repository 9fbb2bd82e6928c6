import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { routeItems } from '../../core/actions/router';
import * as chartGetData from './actions/chart/getData.operation';
import * as eventGetMany from './actions/event/getMany.operation';
import * as funnelGet from './actions/funnel/get.operation';
import { openPanelApiTest } from './methods/credentialTest';
import { getEventNames } from './methods/loadOptions';
import { openPanelOptions } from './transport';

/** OpenPanel allows 100 requests per 10 s; a few items in flight are plenty. */
const MAX_ITEMS_IN_FLIGHT = 4;

export class OpenPanel implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OpenPanel',
		name: 'openPanel',
		icon: { light: 'file:openpanel.svg', dark: 'file:openpanel.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read events, charts and funnels from OpenPanel analytics',
		defaults: { name: 'OpenPanel' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'openPanelApi', required: true, testedBy: 'openPanelApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chart', value: 'chart' },
					{ name: 'Event', value: 'event' },
					{ name: 'Funnel', value: 'funnel' },
				],
				default: 'event',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['event'] } },
				options: [{ name: 'Get Many', value: 'getMany', action: 'Get many events', description: 'Get the events of a day range, newest first' }],
				default: 'getMany',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['chart'] } },
				options: [{ name: 'Get Data', value: 'getData', action: 'Get chart data', description: 'Count events, users or sessions over time' }],
				default: 'getData',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['funnel'] } },
				options: [{ name: 'Get', value: 'get', action: 'Get a funnel', description: 'Conversion through a sequence of events' }],
				default: 'get',
			},
			...eventGetMany.description,
			...chartGetData.description,
			...funnelGet.description,
			openPanelOptions,
		],
	};

	methods = { credentialTest: { openPanelApiTest }, loadOptions: { getEventNames } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems.call(this, { chart: { getData: chartGetData }, event: { getMany: eventGetMany }, funnel: { get: funnelGet } }, MAX_ITEMS_IN_FLIGHT);
	}
}
