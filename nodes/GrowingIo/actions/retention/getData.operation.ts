import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { reportExecutionData } from '../../helpers/report';
import { readReportSettings } from '../../helpers/reportParameters';
import { reportPickerHint } from '../../methods/listSearch';
import { resourceLocator } from '../common.descriptions';
import { reportOptions, simplifyField, timeRangeFields } from '../report.descriptions';

const show = { resource: ['retention'], operation: ['getData'] };

const RANGES = ['day', 'week', 'month'];

export const description: INodeProperties[] = [
	{
		...resourceLocator({
			name: 'retentionId',
			displayName: 'Retention',
			description: 'The retention analysis (留存) to read',
			searchListMethod: 'searchRetentions',
			urlExample: 'retention/Rt2xM6nB',
			show,
		}),
		hint: reportPickerHint('retention'),
	},
	...timeRangeFields(show),
	{
		displayName: 'Retention Period',
		name: 'range',
		type: 'options',
		default: 'day',
		displayOptions: { show },
		options: [
			{ name: 'Day', value: 'day', description: 'Day-N retention (日留存)' },
			{ name: 'Week', value: 'week', description: 'Week-N retention (周留存)' },
			{ name: 'Month', value: 'month', description: 'Month-N retention (月留存)' },
		],
		description: 'The period users are counted in when they return: day-N, week-N or month-N retention',
	},
	simplifyField(show),
	reportOptions(show, ['v2', 'v3']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = await getResourceId.call(this, 'retentionId', 'Retention', 'retention', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const range = String(this.getNodeParameter('range', itemIndex));
	if (!RANGES.includes(range)) {
		throw new NodeOperationError(this.getNode(), `Retention Period "${range}" is not one of Day, Week, Month`, {
			itemIndex,
			description: 'Choose a Retention Period from the list, or make the expression return day, week or month.',
		});
	}
	return await reportExecutionData.call(this, 'retention', id, { range }, settings, itemIndex);
}
