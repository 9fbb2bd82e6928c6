/**
 * The nine analytics reports, computed from the stored sample reports so that they agree with
 * each other: every report in the range is counted once in over-time, per state, per user, per
 * day hour and per week day. Ranges are [start_date, end_date) by the report's creation time;
 * hours, week days (0 = Sunday) and over-time buckets are UTC.
 */
import type { SampleData, SampleReport } from './data';

export const ANALYTICS_REPORTS = [
	'reports_images',
	'reports_over_time',
	'reports_per_field_selection',
	'reports_per_state',
	'reports_per_user',
	'reports_per_day_hour',
	'reports_per_week_day',
	'reports_read',
	'user_awareness',
] as const;
export type AnalyticsReport = (typeof ANALYTICS_REPORTS)[number];

export const READ_FIELDS = ['total_reads', 'unique_reads', 'report_readers', 'reports_seen'];
export const AWARENESS_FIELDS = ['total_alerts', 'alert_source_reports', 'unique_alerts', 'alerts_opened'];
export const SELECTION_FIELD_TYPES = ['Category', 'DropDown', 'Radio', 'RadioButton'];

export interface AnalyticsQuery {
	teamId: number;
	channelId: number;
	start: Date;
	end: Date;
	fieldId?: number;
	fields?: string[];
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** The reports of the channel created in [start, end). */
export function reportsInRange(data: SampleData, query: AnalyticsQuery): SampleReport[] {
	return data.reports.filter((r) => r.channel_id === query.channelId && r.created_at >= query.start && r.created_at < query.end);
}

/** SaferMe picks the bucket size itself; the imitation goes by the length of the range. */
export function bucketWidth(start: Date, end: Date): 'hour' | 'day' | 'week' | 'month' {
	const span = end.getTime() - start.getTime();
	if (span <= 2 * DAY_MS) return 'hour';
	if (span <= 31 * DAY_MS) return 'day';
	if (span <= 180 * DAY_MS) return 'week';
	return 'month';
}

function bucketStart(at: Date, width: string): string {
	const d = new Date(at.getTime());
	if (width === 'hour') d.setUTCMinutes(0, 0, 0);
	else {
		d.setUTCHours(0, 0, 0, 0);
		// Weeks start on Monday, as PostgreSQL's date_trunc('week') does.
		if (width === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
		if (width === 'month') d.setUTCDate(1);
	}
	return d.toISOString();
}

function countBy<K>(reports: SampleReport[], keyOf: (r: SampleReport) => K): Map<K, number> {
	const counts = new Map<K, number>();
	for (const r of reports) counts.set(keyOf(r), (counts.get(keyOf(r)) ?? 0) + 1);
	return counts;
}

const pick = (row: Record<string, number>, fields: string[] | undefined, fallback: string) => {
	const wanted = fields && fields.length ? fields : [fallback];
	return Object.fromEntries(wanted.map((name) => [name, row[name]]));
};

export function computeAnalytics(data: SampleData, report: AnalyticsReport, query: AnalyticsQuery): unknown {
	const reports = reportsInRange(data, query);
	const account_id = query.teamId;
	switch (report) {
		case 'reports_images':
			return reports.flatMap((r) =>
				r.images.map((image) => ({
					report_image_id: image.id,
					account_id,
					report_id: r.id,
					created_at: image.created_at.toISOString(),
					styles: { thumb: `https://images.example.com/thumb/${image.id}.jpg`, medium: `https://images.example.com/medium/${image.id}.jpg` },
				})),
			);
		case 'reports_over_time': {
			const width = bucketWidth(query.start, query.end);
			return [...countBy(reports, (r) => bucketStart(r.created_at, width))]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([start, report_count]) => ({ account_id, datetime_range_start: start, report_count, datetime_range_width: width }));
		}
		case 'reports_per_field_selection': {
			const field = data.forms.flatMap((f) => f.fields).find((f) => f.id === query.fieldId)!;
			const counts = countBy(reports.filter((r) => r.selections[field.id] !== undefined), (r) => r.selections[field.id]);
			return field.options
				.filter((option) => counts.has(option.value))
				.map((option) => ({ field_id: field.id, account_id, name: option.label, value: option.value, report_count: counts.get(option.value) }));
		}
		case 'reports_per_state': {
			const counts = countBy(reports, (r) => r.state_id);
			return data.states.filter((s) => counts.has(s.id)).map((s) => ({ id: s.id, name: s.name, account_id, report_count: counts.get(s.id) }));
		}
		case 'reports_per_user':
			return [...countBy(reports, (r) => r.user_id)].sort(([a], [b]) => a - b).map(([user_id, report_count]) => ({ user_id, account_id, report_count }));
		case 'reports_per_day_hour':
			return [...countBy(reports, (r) => r.created_at.getUTCHours())].sort(([a], [b]) => a - b).map(([hour, report_count]) => ({ account_id, hour, report_count }));
		case 'reports_per_week_day':
			return [...countBy(reports, (r) => r.created_at.getUTCDay())].sort(([a], [b]) => a - b).map(([dow, report_count]) => ({ account_id, dow, report_count }));
		case 'reports_read': {
			const reads = reports.flatMap((r) => r.reads.map((read) => ({ report: r.id, user: read.user_id })));
			const row = {
				total_reads: reads.length,
				unique_reads: new Set(reads.map((read) => `${read.report}/${read.user}`)).size,
				report_readers: new Set(reads.map((read) => read.user)).size,
				reports_seen: new Set(reads.map((read) => read.report)).size,
			};
			return pick(row, query.fields, 'total_reads');
		}
		case 'user_awareness': {
			const ids = new Set(reports.map((r) => r.id));
			const alerts = data.alerts.filter((a) => ids.has(a.report_id));
			const users = new Map<number, { total_alerts: number; sources: Set<number>; alerts: Set<number>; alerts_opened: number }>();
			for (const alert of alerts) {
				for (const delivery of alert.deliveries) {
					const u = users.get(delivery.user_id) ?? { total_alerts: 0, sources: new Set(), alerts: new Set(), alerts_opened: 0 };
					u.total_alerts++;
					u.sources.add(alert.report_id);
					u.alerts.add(alert.id);
					if (delivery.opened) u.alerts_opened++;
					users.set(delivery.user_id, u);
				}
			}
			return [...users]
				.sort(([a], [b]) => a - b)
				.map(([user_id, u]) => {
					const person = data.users.find((user) => user.id === user_id)!;
					const row = { total_alerts: u.total_alerts, alert_source_reports: u.sources.size, unique_alerts: u.alerts.size, alerts_opened: u.alerts_opened };
					return { ...pick(row, query.fields, 'total_alerts'), user_id, first_name: person.first_name, last_name: person.last_name };
				});
		}
	}
}
