import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

/** SaferMe's `dow` counts from Sunday = 0, like PostgreSQL's. */
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number) => String(n).padStart(2, '0');

/** What a person reads next to SaferMe's numbers; the numbers themselves stay as sent. */
export function simplifyRow(report: string, row: IDataObject, timezone: string, userNames?: Map<number, string>): IDataObject {
	const out: IDataObject = { ...row };
	if (typeof row.dow === 'number') out.weekday = WEEKDAYS[row.dow] ?? null;
	if (typeof row.hour === 'number') out.hour_label = `${pad(row.hour)}:00–${pad((row.hour + 1) % 24)}:00`;
	if (report === 'reports_per_state' && row.name !== undefined) out.state_name = row.name;
	if (typeof row.datetime_range_start === 'string') {
		const start = DateTime.fromISO(row.datetime_range_start, { zone: 'utc' }).setZone(timezone);
		if (start.isValid) out.date = start.toISODate();
	}
	if (userNames && typeof row.user_id === 'number') out.user_name = userNames.get(row.user_id) ?? null;
	return out;
}
