import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { credentialTeamId, saferMeList } from '../../transport';
import { listFields } from '../common.descriptions';
import { withParsedFieldData } from './fieldData';

export const description: INodeProperties[] = listFields('form', 'getMany');

/** The team's forms with their fields, one item per form, paged with Range. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const limit = readLimit.call(this, itemIndex);
	const teamId = await credentialTeamId(this, itemIndex);
	const forms = await saferMeList(this, { path: '/api/v4/forms', qs: { team_id: teamId }, itemIndex, subject: 'the forms' }, limit);
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(forms.map(withParsedFieldData)), { itemData: { item: itemIndex } });
}
