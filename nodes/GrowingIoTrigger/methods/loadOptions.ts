import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeParameterResourceLocator, type INodePropertyOptions } from 'n8n-workflow';

import { resolveResourceId, RESOURCE_LABELS } from '../../GrowingIo/helpers/ids';
import { REPORT_PATHS } from '../../GrowingIo/helpers/report';
import { unexpectedAnswer } from '../../GrowingIo/helpers/responses';
import { INTERVAL_MS } from '../../GrowingIo/helpers/reportParameters';
import { tableProblem, type ReportTable } from '../../GrowingIo/helpers/table';
import { resolveTimeRange } from '../../GrowingIo/helpers/timeRange';
import { growingIoRequest } from '../../GrowingIo/transport';
import { chartLabel } from '../events/metricThreshold.event';

/**
 * The metric columns of the chart chosen in Metric Threshold's Chart parameter. GrowingIO has no
 * endpoint that describes a chart, so this reads one day of it (one request, through the shared
 * limiter) and lists the metric columns of its `meta`.
 */
export async function getChartMetrics(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const locator = this.getCurrentNodeParameter('chartId') as INodeParameterResourceLocator | string | undefined;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	if (typeof raw === 'string' && raw.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'The metric list needs a Chart chosen from the list, by URL or by ID', {
			description: 'The Chart is an expression, which is known only when the trigger runs: enter the metric name (e.g. 访问用户量) as an expression too.',
		});
	}
	const chartId = await resolveResourceId.call(this, locator, 'Chart', 'chart');
	const day = resolveTimeRange({ preset: 'yesterday', now: DateTime.now() });
	const subject = `${RESOURCE_LABELS.chart} "${chartId}"`;
	const body = await growingIoRequest.call(this, {
		path: String(REPORT_PATHS.chart.v2).replace(':id', encodeURIComponent(chartId)),
		qs: { startTime: day.startTime, endTime: day.endTime, interval: INTERVAL_MS.day },
		subject,
	});
	const problem = tableProblem(body);
	if (problem) {
		throw unexpectedAnswer(this.getNode(), subject, problem, {
			description: 'Check that the Chart is an event-analysis chart (单图), or enter the metric name as an expression.',
		});
	}
	const report = body as IDataObject & ReportTable;
	const chartName = typeof report.name === 'string' && report.name ? report.name : chartId;
	const metrics = report.meta.filter((column) => column.metric).map((column) => column.name);
	if (metrics.length === 0) {
		throw new NodeOperationError(this.getNode(), `Chart ${chartLabel(chartId, report.name)} has no metric column`, {
			description: `Its columns are: ${report.meta.map((column) => column.name).join(', ') || 'none'}. Choose an event-analysis chart with a metric.`,
		});
	}
	return [
		{ name: `First Metric (${metrics[0]})`, value: '', description: `The first metric of ${chartName}, whatever it is named` },
		...metrics.map((name) => ({ name, value: name, description: `Metric of ${chartName}` })),
	];
}
