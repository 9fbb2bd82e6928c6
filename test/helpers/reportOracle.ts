import { DateTime } from 'luxon';

import { buildChartReport, buildFunnelReport, buildRetentionReport, CHARTS, FUNNELS, RETENTIONS, WIDGETS } from '../../sandbox/data';

/**
 * What the node's simplified rows must be, written independently of the node: a row as an object
 * keyed by meta name, numeric strings as numbers, and the 时间 column as an ISO date-time with its
 * milliseconds beside it.
 */
export function expectedRows(
	report: {
		meta: Array<{ name: string; metric?: boolean }>;
		data: Array<Array<string | number>>;
		aggregator?: { values: Array<string | number> };
	},
	timezone = 'Asia/Shanghai',
) {
	// big-number charts: this period, previous period and the change between them in %
	const [current, previous] = (report.aggregator?.values ?? []).map(Number);
	const summary = report.aggregator
		? { currentValue: current, previousValue: previous, changePercent: previous ? Math.round(((current - previous) / previous) * 10000) / 100 : null }
		: {};
	return report.data.map((row) => ({
		...Object.fromEntries(
			report.meta.flatMap((column, i): Array<[string, unknown]> => {
				if (column.name === '时间') {
					return [
						[column.name, DateTime.fromMillis(Number(row[i]), { zone: timezone }).toISO()],
						[`${column.name} (ms)`, Number(row[i])],
					];
				}
				return [[column.name, column.metric && typeof row[i] === 'string' ? Number(row[i]) : row[i]]];
			}),
		),
		...summary,
	}));
}

/**
 * The rows Dashboard → Get Data must give for one chart/funnel/retention (saved settings, Day
 * interval), or the one note item for a widget it cannot read. A chart whose meta lacks 时间 must
 * read as the same chart with the time column named in meta.
 */
export function expectedDashboardRows(id: string, window: { startTime: number; endTime: number }): Array<Record<string, unknown>> {
	const widget = WIDGETS.find((w) => w.id === id);
	if (widget) {
		return [{ chartId: id, chartName: widget.name, chartType: widget.resourceType, skipped: true, note: `Skipped: GrowingIO's statistics API serves charts, funnels and retentions, not "${widget.resourceType}" widgets` }];
	}
	const { chartType, report } = savedReport(id, window, DAY_MS, { timeInMeta: true });
	return expectedRows(report).map((row) => ({ chartId: id, chartName: report.name, chartType, ...row }));
}

/**
 * The item Dashboard → Get Data must give for one chart/funnel/retention with Simplify off: its
 * tag and the payload exactly as GrowingIO sent it (saved settings, charts at `interval` ms).
 */
export function expectedDashboardReport(id: string, window: { startTime: number; endTime: number }, interval = DAY_MS): Record<string, unknown> {
	const { chartType, report } = savedReport(id, window, interval, { timeInMeta: false });
	// JSON round trip: the node's output has no undefined fields
	return { chartId: id, chartName: report.name, chartType, report: JSON.parse(JSON.stringify(report)) };
}

const DAY_MS = 86400000;

/** What the sandbox serves for a report with its saved settings; `timeInMeta` reads a chart whose meta lacks 时间 as if it had it. */
function savedReport(id: string, window: { startTime: number; endTime: number }, interval: number, { timeInMeta }: { timeInMeta: boolean }) {
	const chart = CHARTS.find((c) => c.id === id);
	const funnel = FUNNELS.find((f) => f.id === id);
	const retention = RETENTIONS.find((r) => r.id === id);
	if (chart) return { chartType: 'chart', report: buildChartReport(timeInMeta ? { ...chart, metaWithoutTime: false } : chart, { ...window, interval }) };
	if (funnel) return { chartType: 'funnel', report: buildFunnelReport(funnel, window, funnel.conversionWindow) };
	if (retention) return { chartType: 'retention', report: buildRetentionReport(retention, window, retention.range) };
	throw new Error(`no sample chart, funnel or retention ${id}`);
}
