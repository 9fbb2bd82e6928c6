import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { routeItems } from '../../core/actions/router';
import * as teamGetMany from './actions/team/getMany.operation';

/** SaferMe documents no rate limit; items still go one after another to stay polite. */
const MAX_ITEMS_IN_FLIGHT = 1;

export class SaferMe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SaferMe',
		name: 'saferMe',
		icon: { light: 'file:saferme.svg', dark: 'file:saferme.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read teams and safety report analytics from SaferMe',
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
				options: [{ name: 'Team', value: 'team' }],
				default: 'team',
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
			...teamGetMany.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await routeItems.call(this, { team: { getMany: teamGetMany } }, MAX_ITEMS_IN_FLIGHT);
	}
}
