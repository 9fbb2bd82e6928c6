/**
 * What the imitation computes from its stored events: the filters, the event list of
 * /export/events, the series of /export/charts and the funnel of /insights/:projectId/funnel.
 * All three read the same events, so their numbers agree.
 */
import { QueryError } from './queryString';
import type { StoredEvent, StoredProfile } from './data';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export const RANGES = ['30min', 'lastHour', 'last24h', 'today', 'yesterday', '7d', '30d', '3m', '6m', '12m', 'monthToDate', 'lastMonth', 'yearToDate', 'lastYear', 'custom'] as const;
export type Range = (typeof RANGES)[number];
export const INTERVALS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];
export const SEGMENTS = ['event', 'user', 'session', 'group', 'user_average', 'one_event_per_user', 'property_sum', 'property_average', 'property_max', 'property_min'] as const;
export const OPERATORS = ['is', 'isNot', 'contains', 'doesNotContain', 'startsWith', 'endsWith', 'regex', 'isNull', 'isNotNull', 'gt', 'lt', 'gte', 'lte', 'inCohort', 'notInCohort'] as const;

export interface EventFilter {
	name: string;
	operator: (typeof OPERATORS)[number];
	value: Array<string | number | boolean | null>;
}

/** Checks `[{name, operator, value[]}]` as zChartEventFilter does. */
export function checkFilters(raw: Array<Record<string, unknown>>, field: string): EventFilter[] {
	return raw.map((filter, index) => {
		if (typeof filter.name !== 'string' || !filter.name) throw new QueryError(`querystring/${field}/${index}/name Invalid input: expected string`);
		if (!OPERATORS.includes(filter.operator as EventFilter['operator'])) throw new QueryError(`querystring/${field}/${index}/operator Invalid option`);
		if (!Array.isArray(filter.value)) throw new QueryError(`querystring/${field}/${index}/value Invalid input: expected array`);
		return { name: filter.name, operator: filter.operator as EventFilter['operator'], value: filter.value as EventFilter['value'] };
	});
}

/** The value a filter or breakdown name refers to: a column, `properties.x` or `profile.x`. */
export function fieldOf(event: StoredEvent, name: string, profiles: Map<string, StoredProfile>): unknown {
	if (name.startsWith('properties.')) return event.properties[name.slice('properties.'.length)];
	if (name.startsWith('profile.')) {
		const profile = profiles.get(event.profileId) as unknown as Record<string, unknown> | undefined;
		const key = name.slice('profile.'.length);
		return key.startsWith('properties.') ? (profile?.properties as Record<string, unknown> | undefined)?.[key.slice(11)] : profile?.[key];
	}
	return (event as unknown as Record<string, unknown>)[name];
}

function matches(value: unknown, filter: EventFilter): boolean {
	const text = value === undefined || value === null ? '' : String(value);
	const values = filter.value.map((v) => String(v));
	switch (filter.operator) {
		case 'is':
			return values.includes(text);
		case 'isNot':
			return !values.includes(text);
		case 'contains':
			return values.some((v) => text.includes(v));
		case 'doesNotContain':
			return values.every((v) => !text.includes(v));
		case 'startsWith':
			return values.some((v) => text.startsWith(v));
		case 'endsWith':
			return values.some((v) => text.endsWith(v));
		case 'regex':
			return values.some((v) => new RegExp(v).test(text));
		case 'isNull':
			return text === '';
		case 'isNotNull':
			return text !== '';
		case 'gt':
			return values.some((v) => Number(text) > Number(v));
		case 'lt':
			return values.some((v) => Number(text) < Number(v));
		case 'gte':
			return values.some((v) => Number(text) >= Number(v));
		case 'lte':
			return values.some((v) => Number(text) <= Number(v));
		default:
			// Cohorts are not part of the imitation.
			return false;
	}
}

export function passesFilters(event: StoredEvent, filters: EventFilter[], profiles: Map<string, StoredProfile>): boolean {
	return filters.every((filter) => matches(fieldOf(event, filter.name, profiles), filter));
}

/** created_at DESC, id ASC: the export's order. */
export function exportOrder(a: StoredEvent, b: StoredEvent): number {
	return b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id);
}

function startOfDay(ms: number): number {
	return Math.floor(ms / DAY_MS) * DAY_MS;
}

function startOfMonth(ms: number, monthsBack = 0): number {
	const date = new Date(ms);
	return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1);
}

/** A range preset as [start, end] in ms (the project's timezone is UTC in the imitation). */
export function resolveRange(range: Range, now: number): [number, number] {
	const endOfToday = startOfDay(now) + DAY_MS - 1;
	switch (range) {
		case '30min':
			return [now - 30 * 60_000, now];
		case 'lastHour':
			return [now - HOUR_MS, now];
		case 'last24h':
			return [now - DAY_MS, now];
		case 'today':
			return [startOfDay(now), endOfToday];
		case 'yesterday':
			return [startOfDay(now) - DAY_MS, startOfDay(now) - 1];
		case '7d':
			return [startOfDay(now) - 6 * DAY_MS, endOfToday];
		case '3m':
			return [startOfMonth(now, 3), endOfToday];
		case '6m':
			return [startOfMonth(now, 6), endOfToday];
		case '12m':
			return [startOfMonth(now, 12), endOfToday];
		case 'monthToDate':
			return [startOfMonth(now), endOfToday];
		case 'lastMonth':
			return [startOfMonth(now, 1), startOfMonth(now) - 1];
		case 'yearToDate':
			return [Date.UTC(new Date(now).getUTCFullYear(), 0, 1), endOfToday];
		case 'lastYear':
			return [Date.UTC(new Date(now).getUTCFullYear() - 1, 0, 1), Date.UTC(new Date(now).getUTCFullYear(), 0, 1) - 1];
		default:
			// 30d, and custom without both dates.
			return [startOfDay(now) - 29 * DAY_MS, endOfToday];
	}
}

export function bucketStart(ms: number, interval: Interval): number {
	const date = new Date(ms);
	switch (interval) {
		case 'minute':
			return Math.floor(ms / 60_000) * 60_000;
		case 'hour':
			return Math.floor(ms / HOUR_MS) * HOUR_MS;
		case 'day':
			return startOfDay(ms);
		case 'week': {
			// ISO weeks start on Monday.
			const day = startOfDay(ms);
			return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
		}
		default:
			return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
	}
}

export function nextBucket(ms: number, interval: Interval): number {
	if (interval === 'month') {
		const date = new Date(ms);
		return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
	}
	return ms + { minute: 60_000, hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS }[interval];
}

/** The buckets filled for a chart: from the start's bucket up to, not including, the end's (OpenPanel's fill is exclusive at the end). */
export function buckets(start: number, end: number, interval: Interval): number[] {
	const list: number[] = [];
	for (let at = bucketStart(start, interval); at < bucketStart(end, interval); at = nextBucket(at, interval)) list.push(at);
	return list;
}

/** ClickHouse-style date-time text: `2026-01-31 00:00:00`. */
export function chartDate(ms: number): string {
	return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export interface ChartSeriesRequest {
	name: string;
	segment: (typeof SEGMENTS)[number];
	property?: string;
	filters: EventFilter[];
}

/** One number for a bucket's events, as the series' segment counts them. */
export function segmentValue(events: StoredEvent[], series: ChartSeriesRequest, profiles: Map<string, StoredProfile>): number {
	const distinct = (key: (e: StoredEvent) => string) => new Set(events.map(key)).size;
	const numbers = () => events.map((e) => Number(fieldOf(e, series.property ?? '', profiles))).filter((n) => Number.isFinite(n));
	switch (series.segment) {
		case 'user':
			return distinct((e) => e.profileId);
		case 'session':
			return distinct((e) => e.sessionId);
		case 'group':
			return distinct((e) => e.groups[0] ?? '');
		case 'user_average':
			return events.length ? Math.round((events.length / distinct((e) => e.profileId)) * 100) / 100 : 0;
		case 'one_event_per_user':
			return distinct((e) => e.profileId);
		case 'property_sum':
			return numbers().reduce((a, b) => a + b, 0);
		case 'property_average': {
			const list = numbers();
			return list.length ? Math.round((list.reduce((a, b) => a + b, 0) / list.length) * 100) / 100 : 0;
		}
		case 'property_max':
			return numbers().length ? Math.max(...numbers()) : 0;
		case 'property_min':
			return numbers().length ? Math.min(...numbers()) : 0;
		default:
			return events.length;
	}
}

export interface Metric {
	sum: number;
	average: number;
	min: number;
	max: number;
	count: number;
}

export function metricsOf(values: number[]): Metric {
	const sum = values.reduce((a, b) => a + b, 0);
	return {
		sum,
		average: values.length ? Math.round((sum / values.length) * 100) / 100 : 0,
		min: values.length ? Math.min(...values) : 0,
		max: values.length ? Math.max(...values) : 0,
		count: values.length,
	};
}

export function compare(value: number, previous: number): { value: number; diff: number | null; state: 'positive' | 'negative' | 'neutral' } {
	const diff = previous === 0 ? null : Math.round(((value - previous) / previous) * 10000) / 100;
	return { value: previous, diff, state: value > previous ? 'positive' : value < previous ? 'negative' : 'neutral' };
}

export interface FunnelStep {
	step: number;
	eventName: string;
	users: number;
	conversionRateFromStart: number;
	dropoffPercent: number | null;
	isHighestDropoff: boolean;
}

/**
 * Strict ordered funnel per group (session or profile): each step must follow the previous one
 * within the window of the first step; a step equal to the previous step never converts.
 */
export function funnel(events: StoredEvent[], steps: string[], windowMs: number, groupBy: 'session_id' | 'profile_id') {
	const groups = new Map<string, StoredEvent[]>();
	for (const event of events) {
		const key = groupBy === 'profile_id' ? event.profileId : event.sessionId;
		(groups.get(key) ?? groups.set(key, []).get(key)!).push(event);
	}
	const reached = steps.map(() => 0);
	for (const list of groups.values()) {
		list.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
		let best = 0;
		list.forEach((first, index) => {
			if (first.name !== steps[0]) return;
			const deadline = Date.parse(first.createdAt) + windowMs;
			let level = 1;
			for (const next of list.slice(index + 1)) {
				if (level >= steps.length || Date.parse(next.createdAt) > deadline) break;
				if (next.name === steps[level] && steps[level] !== steps[level - 1]) level++;
			}
			best = Math.max(best, level);
		});
		for (let i = 0; i < best; i++) reached[i]++;
	}
	const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10000) / 100 : 0);
	const dropoffs = reached.map((users, i) => (i === 0 ? null : percent(reached[i - 1] - users, reached[i - 1])));
	const highest = Math.max(...dropoffs.map((d) => d ?? -1));
	const stepList: FunnelStep[] = steps.map((eventName, i) => ({
		step: i + 1,
		eventName,
		users: reached[i],
		conversionRateFromStart: percent(reached[i], reached[0]),
		dropoffPercent: dropoffs[i],
		isHighestDropoff: dropoffs[i] !== null && dropoffs[i] === highest && highest > 0,
	}));
	return { steps: stepList, totalUsers: reached[0], completedUsers: reached[steps.length - 1], overallConversionRate: percent(reached[steps.length - 1], reached[0]) };
}
