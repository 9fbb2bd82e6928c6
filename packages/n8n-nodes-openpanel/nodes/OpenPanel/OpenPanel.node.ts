import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { routeItems } from '../../core/actions/router';
import * as chartGetData from './actions/chart/getData.operation';
import * as eventGetMany from './actions/event/getMany.operation';
import * as funnelGet from './actions/funnel/get.operation';
import * as insightGetActiveUsers from './actions/insight/getActiveUsers.operation';
import * as insightGetOverview from './actions/insight/getOverview.operation';
import * as insightGetRetention from './actions/insight/getRetention.operation';
import * as insightGetTopPages from './actions/insight/getTopPages.operation';
import * as insightGetTopReferrers from './actions/insight/getTopReferrers.operation';
import { openPanelApiTest } from './methods/credentialTest';
import { searchProjects } from './methods/listSearch';
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
		description: 'Read events, charts, funnels and insights from OpenPanel analytics',
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
					{ name: 'Insight', value: 'insight' },
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
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['insight'] } },
				options: [
					{ name: 'Get Active Users', value: 'getActiveUsers', action: 'Get active users', description: 'Daily, weekly or monthly active users per day' },
					{ name: 'Get Overview', value: 'getOverview', action: 'Get the overview', description: 'Visitors, sessions, page views, bounce rate and session duration of a period' },
					{ name: 'Get Retention', value: 'getRetention', action: 'Get the weekly retention', description: 'How many of each week\'s users came back the week after' },
					{ name: 'Get Top Pages', value: 'getTopPages', action: 'Get the top pages', description: 'The most visited pages of a period' },
					{ name: 'Get Top Referrers', value: 'getTopReferrers', action: 'Get the top referrers', description: 'Where the sessions of a period came from' },
				],
				default: 'getOverview',
			},
			...eventGetMany.description,
			...chartGetData.description,
			...funnelGet.description,
			...insightGetOverview.description,
			...insightGetActiveUsers.description,
			...insightGetRetention.description,
			...insightGetTopPages.description,
			...insightGetTopReferrers.description,
			// Chart → Get Data has an Options collection of its own, with this option in it.
			{ ...openPanelOptions, displayOptions: { hide: { resource: ['chart'] } } },
		],
	};

	methods = { credentialTest: { openPanelApiTest }, loadOptions: { getEventNames }, listSearch: { searchProjects } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems.call(this, {
				chart: { getData: chartGetData },
				event: { getMany: eventGetMany },
				funnel: { get: funnelGet },
				insight: { getActiveUsers: insightGetActiveUsers, getOverview: insightGetOverview, getRetention: insightGetRetention, getTopPages: insightGetTopPages, getTopReferrers: insightGetTopReferrers },
			}, MAX_ITEMS_IN_FLIGHT);
	}
}
