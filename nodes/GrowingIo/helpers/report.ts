import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import type { RunContext } from '../transport';
import { pollExporter } from './exporter';
import { RESOURCE_LABELS } from './ids';
import type { ApiVersion, ReportSettings } from './reportParameters';
import { unexpectedAnswer } from './responses';
import { columnKeys, MAX_REPORT_ROWS, metaForRows, tableProblem, tableToRows, type ReportTable } from './table';

/**
 * Fetching one GrowingIO report (event-analysis chart, funnel or retention) in any of its API
 * versions, and turning it into items. Shared by the Chart, Funnel, Retention and Dashboard
 * operations so they differ only in their parameters.
 */

export type ReportKind = 'chart' | 'funnel' | 'retention';

export const REPORT_PATHS: Record<ReportKind, Partial<Record<ApiVersion, string>>> = {
	chart: {
		v1: '/projects/{projectUid}/charts/:id.json',
		v2: '/v2/projects/{projectUid}/charts/:id.json',
		v3: '/v3/exporter/projects/{projectUid}/charts/:id',
	},
	funnel: { v2: '/v2/projects/{projectUid}/funnels/:id.json', v3: '/v3/exporter/projects/{projectUid}/funnels/:id' },
	retention: { v2: '/v2/projects/{projectUid}/retentions/:id.json', v3: '/v3/exporter/projects/{projectUid}/retentions/:id' },
};

export interface ReportRequest {
	kind: ReportKind;
	id: string;
	qs: IDataObject;
	apiVersion: ApiVersion;
	/** How long to wait for the v3 exporter, in seconds. */
	maxWaitSeconds: number;
	itemIndex: number;
}

function reportError(context: RunContext, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** GETs a report in the requested API version. */
export async function fetchReport(this: RunContext, request: ReportRequest): Promise<IDataObject & ReportTable> {
	const { kind, id, itemIndex } = request;
	const template = REPORT_PATHS[kind][request.apiVersion];
	if (!template) {
		throw reportError(this, itemIndex, `API Version "${request.apiVersion}" is not available for a ${RESOURCE_LABELS[kind]}`, 'Choose v2 or the v3 exporter.');
	}
	const subject = `${RESOURCE_LABELS[kind]} "${id}"`;
	// v1/v2 answer at once; the v3 exporter says `doing` until the report is ready.
	const body = (await pollExporter.call(this, {
		path: template.replace(':id', encodeURIComponent(id)),
		qs: request.qs,
		subject,
		maxWaitSeconds: request.maxWaitSeconds,
		itemIndex,
	})) as IDataObject;
	if (body?.status === 'failed') {
		throw reportError(
			this,
			itemIndex,
			`GrowingIO's v3 exporter could not prepare ${subject}${body.errorMsg ? `: ${String(body.errorMsg)}` : ''}`,
			'Check the time range and parameters, or try again later. Very large reports may need a shorter time range.',
		);
	}
	return checkReport(this, body, subject, itemIndex);
}

function checkReport(context: RunContext, body: unknown, subject: string, itemIndex: number): IDataObject & ReportTable {
	const problem = tableProblem(body);
	if (problem) {
		throw unexpectedAnswer(context.getNode(), subject, problem, {
			itemIndex,
			description:
				'Check that the Base URL in the credential points to the GrowingIO API and that the ID is of the right kind. If both are right, GrowingIO may have changed this API: please report it.',
		});
	}
	const table = body as IDataObject & ReportTable;
	if (table.data.length > MAX_REPORT_ROWS) {
		throw reportError(
			context,
			itemIndex,
			`${subject} has ${table.data.length} rows, more than the ${MAX_REPORT_ROWS} GrowingIO serves in one download`,
			'Use a shorter time range or a coarser interval, or set Options → API Version to the v3 exporter.',
		);
	}
	return table;
}

/**
 * Simplify on: one item per data row. Big-number charts also carry GrowingIO's
 * `aggregator.values` (this period, previous period) as currentValue, previousValue and
 * changePercent. Simplify off: the payload as GrowingIO sent it.
 */
export function reportToItems(report: IDataObject & ReportTable, simplify: boolean, timezone: string): IDataObject[] {
	if (!simplify) return [report];
	const rows = tableToRows(report, timezone);
	const values = (report.aggregator as { values?: unknown[] } | undefined)?.values;
	if (!Array.isArray(values)) return rows;
	const [current, previous] = values.map((value) => (value === null || value === undefined ? null : Number(value)));
	const changePercent =
		current !== null && previous !== null && previous !== 0 && Number.isFinite(current) && Number.isFinite(previous)
			? Math.round(((current - previous) / previous) * 10000) / 100
			: null;
	const summary = { currentValue: current ?? null, previousValue: previous ?? null, changePercent };
	return rows.length ? rows.map((row) => ({ ...row, ...summary })) : [summary];
}

const STEP_USERS_SUFFIX = '人数';
const STEP_RATE_SUFFIX = '转化率';

/**
 * A funnel's rows with one item per step: GrowingIO's meta names each step's users and
 * conversion rate as "<step>人数" and "<step>转化率" after 总转化率, which makes a wide row of
 * 2 columns per step. Each step item keeps the row's other columns (目标用户, 时间, 总转化率)
 * and adds step, stepNumber, users and conversionRate (from the step before; 1 for the first).
 * Undefined when meta has no such pairs.
 */
export function funnelStepItems(report: IDataObject & ReportTable, timezone: string): IDataObject[] | undefined {
	const meta = metaForRows(report) ?? report.meta;
	const keys = columnKeys(meta);
	const steps: Array<{ name: string; usersKey: string; rateKey: string }> = [];
	for (let index = 0; index + 1 < meta.length; index++) {
		const users = meta[index];
		const rate = meta[index + 1];
		if (!users.metric || !rate.metric || !users.name.endsWith(STEP_USERS_SUFFIX) || !rate.name.endsWith(STEP_RATE_SUFFIX)) continue;
		const name = users.name.slice(0, -STEP_USERS_SUFFIX.length).trim();
		if (name !== rate.name.slice(0, -STEP_RATE_SUFFIX.length).trim()) continue;
		steps.push({ name: name || `Step ${steps.length + 1}`, usersKey: keys[index], rateKey: keys[index + 1] });
		index++;
	}
	if (!steps.length) return undefined;
	const stepKeys = new Set(steps.flatMap((step) => [step.usersKey, step.rateKey]));
	return tableToRows(report, timezone).flatMap((row) => {
		const context = Object.fromEntries(Object.entries(row).filter(([key]) => !stepKeys.has(key)));
		return steps.map((step, index) => ({
			...context,
			step: step.name,
			stepNumber: index + 1,
			users: row[step.usersKey] ?? null,
			conversionRate: row[step.rateKey] ?? null,
		}));
	});
}

/**
 * A report as the node's output items, paired with the input item. Built directly rather than
 * through returnJsonArray + constructExecutionMetaData: for a 200,000-row report those two passes
 * cost about as much as parsing the answer.
 */
export function reportItems(report: IDataObject & ReportTable, simplify: boolean, timezone: string, itemIndex: number): INodeExecutionData[] {
	// One pairedItem object for all rows, as n8n's constructExecutionMetaData does.
	const pairedItem = { item: itemIndex };
	return reportToItems(report, simplify, timezone).map((json) => ({ json, pairedItem }));
}

/**
 * The whole of a single-report operation once its parameters are read: fetch, shape, pair.
 * `shape` replaces the usual rows (Simplify) or raw payload, e.g. a funnel's step items.
 */
export async function reportExecutionData(
	this: IExecuteFunctions,
	kind: ReportKind,
	id: string,
	qs: IDataObject,
	settings: ReportSettings,
	itemIndex: number,
	shape?: (report: IDataObject & ReportTable) => IDataObject[],
): Promise<INodeExecutionData[]> {
	const report = await fetchReport.call(this, {
		kind,
		id,
		qs: { startTime: settings.range.startTime, endTime: settings.range.endTime, ...qs },
		apiVersion: settings.apiVersion,
		maxWaitSeconds: settings.maxWaitSeconds,
		itemIndex,
	});
	if (!shape) return reportItems(report, settings.simplify, settings.timezone, itemIndex);
	const pairedItem = { item: itemIndex };
	return shape(report).map((json) => ({ json, pairedItem }));
}
