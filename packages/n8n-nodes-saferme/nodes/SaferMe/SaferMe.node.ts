import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { routeItems } from '../../core/actions/router';
import * as analyticsGet from './actions/analytics/get.operation';
import * as channelGetMany from './actions/channel/getMany.operation';
import * as formGet from './actions/form/get.operation';
import * as formGetMany from './actions/form/getMany.operation';
import * as teamGetMany from './actions/team/getMany.operation';
import { getSelectionFields, searchChannels } from './methods/lists';

/** Items go one after another; the pace (Options → Requests per Second) is the real brake. */
const MAX_ITEMS_IN_FLIGHT = 1;

export class SaferMe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SaferMe',
		name: 'saferMe',
		icon: { light: 'file:saferme.svg', dark: 'file:saferme.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read safety report analytics, channels and forms from SaferMe',
		defaults: { name: 'SaferMe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'saferMeApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Analytic', value: 'analytics' },
					{ name: 'Channel', value: 'channel' },
					{ name: 'Form', value: 'form' },
					{ name: 'Team', value: 'team' },
				],
				default: 'analytics',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['analytics'] } },
				options: [{ name: 'Get', value: 'get', action: 'Get an analytics report', description: 'Get one of the nine analytics reports of a channel' }],
				default: 'get',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['channel'] } },
				options: [{ name: 'Get Many', value: 'getMany', action: 'Get many channels', description: 'Get the team\'s channels' }],
				default: 'getMany',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['form'] } },
				options: [
					{ name: 'Get', value: 'get', action: 'Get a form', description: 'Get a form with its fields' },
					{ name: 'Get Many', value: 'getMany', action: 'Get many forms', description: 'Get the team\'s forms with their fields' },
				],
				default: 'getMany',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['team'] } },
				options: [{ name: 'Get Many', value: 'getMany', action: 'Get many teams', description: 'Get the teams of the signed-in user' }],
				default: 'getMany',
			},
			...analyticsGet.description,
			...channelGetMany.description,
			...formGet.description,
			...formGetMany.description,
			...teamGetMany.description,
		],
	};

	methods = { listSearch: { searchChannels }, loadOptions: { getSelectionFields } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems.call(
			this,
			{ analytics: { get: analyticsGet }, channel: { getMany: channelGetMany }, form: { get: formGet, getMany: formGetMany }, team: { getMany: teamGetMany } },
			MAX_ITEMS_IN_FLIGHT,
		);
	}
}
