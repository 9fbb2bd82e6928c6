import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { reportExecutionData } from '../../helpers/report';
import { readInterval, readReportSettings } from '../../helpers/reportParameters';
import { reportPickerHint } from '../../methods/listSearch';
import { resourceLocator } from '../common.descriptions';
import { intervalField, reportOptions, simplifyField, timeRangeFields } from '../report.descriptions';

const show = { resource: ['chart'], operation: ['getData'] };

export const description: INodeProperties[] = [
	{
		...resourceLocator({
			name: 'chartId',
			displayName: 'Chart',
			description: 'The event-analysis chart (单图 / 事件分析) to read',
			searchListMethod: 'searchCharts',
			urlExample: 'chart/Lw3kP9sD',
			show,
		}),
		hint: reportPickerHint('chart'),
	},
	...timeRangeFields(show),
	intervalField(show),
	simplifyField(show),
	reportOptions(show, ['v1', 'v2', 'v3']),
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = await getResourceId.call(this, 'chartId', 'Chart', 'chart', itemIndex);
	const settings = readReportSettings.call(this, itemIndex);
	const interval = readInterval.call(this, itemIndex, settings.range);
	return await reportExecutionData.call(this, 'chart', id, { interval }, settings, itemIndex);
}
