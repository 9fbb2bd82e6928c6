import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { saferMeRequest } from '../../transport';
import { withParsedFieldData } from './fieldData';
import { requestOptions } from '../common.descriptions';

const show = { resource: ['form'], operation: ['get'] };

export const description: INodeProperties[] = [
	{ displayName: 'Form ID', name: 'formId', type: 'string', default: '', required: true, placeholder: 'e.g. 7', description: 'The form\'s numeric ID (Form → Get Many lists them)', displayOptions: { show } },
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add option', default: {}, displayOptions: { show }, options: requestOptions },
];

/** One form with its fields (the field IDs that Reports per Field Selection takes). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const formId = String(this.getNodeParameter('formId', itemIndex, '') ?? '').trim();
	if (!/^\d+$/.test(formId)) {
		throw new NodeOperationError(this.getNode(), `Form ID "${formId}" is not a form ID`, { itemIndex, description: 'Enter the form\'s numeric ID, e.g. 7; Form → Get Many lists them.' });
	}
	const { body } = await saferMeRequest(this, { path: `/api/v4/forms/${formId}`, itemIndex, subject: `form ${formId}` });
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(withParsedFieldData(body as IDataObject)), { itemData: { item: itemIndex } });
}
