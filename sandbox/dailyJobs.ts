/**
 * GrowingIO's nightly daily jobs: after Beijing midnight the previous day's numbers
 * are still being finished for a few hours, so a report read then shows that day short. With
 * `previousDayLagHours` set, a v2 chart answer read within that many hours after Beijing midnight
 * shows the previous Beijing day's metric cells reduced, growing linearly from half to their final
 * value; the day's earlier hours and every other day are untouched.
 */
import { DAY_MS, HOUR_MS, startOfBeijingDay } from './time';
import type { ApiResult } from './types';

interface ChartAnswer {
	meta: Array<{ name: string; metric?: boolean }>;
	data: unknown[][];
}

const TIME_COLUMN = '时间';

/** How far the previous Beijing day's numbers are at `now`: 1 once the daily jobs are done. */
export function previousDayShare(now: number, lagHours: number): number {
	const sinceMidnight = now - startOfBeijingDay(now);
	if (lagHours <= 0 || sinceMidnight >= lagHours * HOUR_MS) return 1;
	return 0.5 + (0.5 * sinceMidnight) / (lagHours * HOUR_MS);
}

export function withUnfinishedPreviousDay(result: ApiResult, now: number, lagHours: number): ApiResult {
	const share = previousDayShare(now, lagHours);
	if (share === 1 || result.status !== 200 || !('json' in result)) return result;
	const answer = result.json as ChartAnswer;
	const timeIndex = answer.meta.findIndex((column) => column.name === TIME_COLUMN);
	if (timeIndex < 0) return result;
	const dayStart = startOfBeijingDay(now) - DAY_MS;
	const metricIndexes = answer.meta.flatMap((column, index) => (column.metric ? [index] : []));
	const data = answer.data.map((row) => {
		const time = Number(row[timeIndex]);
		if (!(time >= dayStart && time < dayStart + DAY_MS)) return row;
		return row.map((cell, index) => (metricIndexes.includes(index) && typeof cell === 'number' ? (Number.isInteger(cell) ? Math.round(cell * share) : cell * share) : cell));
	});
	return { ...result, json: { ...answer, data } };
}
