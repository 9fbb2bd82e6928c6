import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { saferMeRequest } from '../../transport';

export const description: INodeProperties[] = [];

/** The teams the signed-in user belongs to, one item per team (their IDs go into the credential's Team ID). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { body: teams } = await saferMeRequest(this, { path: '/api/v4/teams', itemIndex, subject: 'the teams' });
	if (!Array.isArray(teams)) {
		throw new NodeOperationError(this.getNode(), 'SaferMe answered /api/v4/teams without a list of teams', {
			itemIndex,
			description: 'Check that Base URL points at the SaferMe API, e.g. https://api.safer.me.',
		});
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(teams as IDataObject[]), { itemData: { item: itemIndex } });
}
