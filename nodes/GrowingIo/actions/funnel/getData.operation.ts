import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { readNumberInRange } from '../../../../core/helpers/numberParameters';
import { funnelStepItems, reportExecutionData } from '../../helpers/report';
import { readOutput, readReportSettings } from '../../helpers/reportParameters';
import type { ReportTable } from '../../helpers/table';
import { reportPickerHint } from '../../methods/listSearch';
import { resourceLocator } from '../common.descriptions';
import { reportOptions, simplifiedOutputField, simplifyField, timeRangeFields, type OutputChoice } from '../report.descriptions';

const show = { resource: ['funnel'], operation: ['getData'] };

const FUNNEL_OUTPUTS: OutputChoice[] = [
	{ name: 'One Item per Row', value: 'rows', description: 'One item per day and target-user group, with two columns per step (人数, 转化率)' },
	{
		name: 'One Item per Step',
		value: 'steps',
		description: 'One item per step of each row: step, stepNumber, users and conversionRate beside the row\'s time and 总转化率',
	},
];

/** GrowingIO accepts conversion windows of whole days; its UI offers up to 180. */
const MAX_CONVERSION_WINDOW_DAYS = 180;

export const description: INodeProperties[] = [
	{
		...resourceLocator({
			name: 'funnelId',
			displayName: 'Funnel',
			description: 'The funnel (漏斗) to read',
			searchListMethod: 'searchFunnels',
			urlExample: 'funnel/Fn4uK8pQ',
			show,
		}),
		hint: reportPickerHint('funnel'),
	},
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
	simplifiedOutputField(show, FUNNEL_OUTPUTS),
	reportOptions(show, ['v2', 'v3']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = await getResourceId.call(this, 'funnelId', 'Funnel', 'funnel', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const conversionWindow = readNumberInRange(
		this.getNode(),
		this.getNodeParameter('conversionWindow', itemIndex),
		{
			label: 'Conversion Window (Days)',
			min: 1,
			max: MAX_CONVERSION_WINDOW_DAYS,
			whole: true,
			fix: 'Enter the number of days, e.g. 7. If it comes from an expression, make it return a number.',
		},
		itemIndex,
	);
	const output = readOutput(this, itemIndex, settings.simplify, FUNNEL_OUTPUTS);
	const steps = (report: IDataObject & ReportTable) => {
		const items = funnelStepItems(report, settings.timezone);
		if (!items) {
			throw new NodeOperationError(this.getNode(), `Funnel "${id}" has no step columns ("<step>人数" followed by "<step>转化率") to split into steps`, {
				itemIndex,
				description: 'Set Output to One Item per Row to get the funnel\'s columns as GrowingIO names them.',
			});
		}
		return items;
	};
	return await reportExecutionData.call(this, 'funnel', id, { conversionWindow }, settings, itemIndex, output === 'steps' ? steps : undefined);
}
