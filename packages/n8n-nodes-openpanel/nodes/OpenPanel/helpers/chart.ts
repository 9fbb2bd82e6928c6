import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { ServiceContext } from '../../../core/transport/serviceRequest';
import { openPanelRequest, type QueryValue } from '../transport';

/** Chart series as OpenPanel takes them (`/export/charts`), shared by Chart → Get Data and the trigger's Metric Threshold. */

export const SEGMENT_OPTIONS = [
	{ name: 'Average Events per User', value: 'user_average' },
	{ name: 'Events', value: 'event', description: 'Number of events' },
	{ name: 'Groups', value: 'group', description: 'Number of distinct groups' },
	{ name: 'One Event per User', value: 'one_event_per_user' },
	{ name: 'Property Average', value: 'property_average' },
	{ name: 'Property Maximum', value: 'property_max' },
	{ name: 'Property Minimum', value: 'property_min' },
	{ name: 'Property Sum', value: 'property_sum' },
	{ name: 'Sessions', value: 'session', description: 'Number of distinct sessions' },
	{ name: 'Users', value: 'user', description: 'Number of distinct users' },
];
export const PROPERTY_SEGMENTS = ['property_sum', 'property_average', 'property_max', 'property_min'];

export interface ChartPoint {
	date?: string;
	count?: number;
	previous?: number | { value?: number; diff?: number | null };
}
export interface ChartSerie {
	names?: string[];
	event?: { name?: string; breakdowns?: Record<string, string> };
	data?: ChartPoint[];
}

/** One series' fields as the user filled them in (a Series row, or the trigger's parameters). */
export interface SeriesFields {
	event?: unknown;
	segment?: unknown;
	property?: unknown;
	filterProperty?: unknown;
	filterOperator?: unknown;
	filterValues?: unknown;
}

/** A series as OpenPanel takes it, checked; errors name the series (`label`) and the field. */
export function chartSeries(node: INode, fields: SeriesFields, label: string, itemIndex?: number): IDataObject {
	const name = String(fields.event ?? '').trim();
	if (!name) throw new NodeOperationError(node, `${label} → Event Name is empty`, { itemIndex, description: 'Choose the event this series counts.' });
	const segment = String(fields.segment ?? 'event');
	if (!SEGMENT_OPTIONS.some((option) => option.value === segment)) {
		throw new NodeOperationError(node, `${label} → Count "${segment}" is not one OpenPanel accepts`, {
			itemIndex,
			description: `Use one of ${SEGMENT_OPTIONS.map((option) => option.value).join(', ')}.`,
		});
	}
	const property = String(fields.property ?? '').trim();
	if (PROPERTY_SEGMENTS.includes(segment) && !property) {
		throw new NodeOperationError(node, `${label} → Property is empty, but Count is a property aggregate`, {
			itemIndex,
			description: 'Enter the numeric property to aggregate, such as properties.amount, or choose another Count.',
		});
	}
	const filterProperty = String(fields.filterProperty ?? '').trim();
	const values = String(fields.filterValues ?? '').split(',').map((v) => v.trim()).filter(Boolean);
	const operator = String(fields.filterOperator ?? 'is');
	if (filterProperty && !values.length && operator !== 'isNull' && operator !== 'isNotNull') {
		throw new NodeOperationError(node, `${label} → Filter Values is empty`, { itemIndex, description: `Enter the value(s) ${filterProperty} is compared with, or clear Filter Property.` });
	}
	return {
		name,
		segment,
		...(property ? { property } : {}),
		filters: filterProperty ? [{ name: filterProperty, operator, value: values }] : [],
	};
}

/** One `/export/charts` call; `subject` names the chart in errors. */
export async function fetchChart(context: ServiceContext, query: Record<string, QueryValue>, subject: string, itemIndex?: number): Promise<{ series: ChartSerie[] } & IDataObject> {
	const answer = (await openPanelRequest(context, { path: '/export/charts', query, itemIndex, subject })) as { series?: ChartSerie[] } & IDataObject;
	if (!Array.isArray(answer?.series)) {
		throw new NodeOperationError(context.getNode(), 'OpenPanel answered /export/charts without a series list', {
			itemIndex,
			description: 'Check that Base URL points at the OpenPanel API (self-hosted: https://your-domain/api).',
		});
	}
	return answer as { series: ChartSerie[] } & IDataObject;
}
