import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { reportExecutionData } from '../../helpers/report';
import { readReportSettings } from '../../helpers/reportParameters';
import { resourceLocator } from '../common.descriptions';
import { reportOptions, simplifyField, timeRangeFields } from '../report.descriptions';

const show = { resource: ['funnel'], operation: ['getData'] };

/** GrowingIO accepts conversion windows of whole days; its UI offers up to 180. */
const MAX_CONVERSION_WINDOW_DAYS = 180;

export const description: INodeProperties[] = [
	resourceLocator({
		name: 'funnelId',
		displayName: 'Funnel',
		description: 'The funnel (漏斗) to read',
		searchListMethod: 'searchFunnels',
		urlExample: 'funnel/Fn4uK8pQ',
		show,
	}),
	...timeRangeFields(show),
	{
		displayName: 'Conversion Window (Days)',
		name: 'conversionWindow',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONVERSION_WINDOW_DAYS },
		default: 7,
		displayOptions: { show },
		description: 'How many days a user has to go from the first step to the last (转化周期)',
	},
	simplifyField(show),
	reportOptions(show, ['v2', 'v3']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = await getResourceId.call(this, 'funnelId', 'Funnel', 'funnel', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const raw = this.getNodeParameter('conversionWindow', itemIndex);
	const conversionWindow = Number(raw);
	if (!Number.isInteger(conversionWindow) || conversionWindow < 1 || conversionWindow > MAX_CONVERSION_WINDOW_DAYS) {
		throw new NodeOperationError(this.getNode(), `Conversion Window (Days) must be a whole number from 1 to ${MAX_CONVERSION_WINDOW_DAYS} (got "${String(raw)}")`, {
			itemIndex,
			description: 'Enter the number of days, e.g. 7. If it comes from an expression, make it return a number.',
		});
	}
	return await reportExecutionData.call(this, 'funnel', id, { conversionWindow }, settings, itemIndex);
}
