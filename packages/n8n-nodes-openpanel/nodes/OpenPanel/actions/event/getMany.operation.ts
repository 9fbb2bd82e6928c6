import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { readLimit } from '../../../../core/helpers/listLimit';
import { openPanelGet } from '../../transport';

const show = { resource: ['event'], operation: ['getMany'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-01-31',
		description: 'First day to read (YYYY-MM-DD, a UTC day, included)',
		displayOptions: { show },
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2026-01-31',
		description: 'Last day to read (YYYY-MM-DD, a UTC day, included)',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show },
	},
];

/** `YYYY-MM-DD` from a parameter; OpenPanel silently ignores a range unless both days are given. */
function readDay(context: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(context.getNodeParameter(name, itemIndex, '')).trim();
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
		throw new NodeOperationError(context.getNode(), `${label} must be a day as YYYY-MM-DD (got "${value}")`, {
			itemIndex,
			description: `Set ${label} to a day such as 2026-01-31.`,
		});
	}
	return value;
}

/** One page of events, newest first, one item per event. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const start = readDay(this, 'startDate', 'Start Date', itemIndex);
	const end = readDay(this, 'endDate', 'End Date', itemIndex);
	const limit = readLimit.call(this, itemIndex) ?? 50;
	if (limit > 1000) {
		throw new NodeOperationError(this.getNode(), `Limit must be at most 1000 (got ${limit})`, {
			itemIndex,
			description: 'OpenPanel returns at most 1000 events per request; set Limit to 1000 or less.',
		});
	}
	const answer = (await openPanelGet(this, '/export/events', { start, end, limit, page: 1 }, itemIndex)) as { data?: unknown };
	if (!Array.isArray(answer?.data)) {
		throw new NodeOperationError(this.getNode(), 'OpenPanel answered /export/events without a data list', {
			itemIndex,
			description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api).',
		});
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(answer.data as IDataObject[]), { itemData: { item: itemIndex } });
}
