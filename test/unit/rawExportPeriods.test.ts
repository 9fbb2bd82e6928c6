import { DateTime } from 'luxon';

import { expectedReadyAt, parseBeijingMoment, requestDate, resolveExportPeriods, type ExportPeriodInput } from '../../nodes/GrowingIo/helpers/rawExportPeriods';
import { TimeRangeError } from '../../core/helpers/timeRange';

// Tuesday 2026-11-17 10:15 in Beijing
const now = DateTime.fromISO('2026-11-17T10:15:00', { zone: 'Asia/Shanghai' });

function dates(input: Partial<ExportPeriodInput>): string[] {
	return resolveExportPeriods({ exportType: 'day', dateRange: 'yesterday', now, ...input }).map((period) => period.exportDate);
}

function refusal(input: Partial<ExportPeriodInput>): { message: string; parameter: string; hint: string } {
	try {
		dates(input);
	} catch (error) {
		if (error instanceof TimeRangeError) return { message: error.message, parameter: error.parameter, hint: error.hint };
		throw error;
	}
	throw new Error('expected a TimeRangeError');
}

const hours = (day: string, from = 0, to = 23) => Array.from({ length: to - from + 1 }, (_, i) => `${day}${String(from + i).padStart(2, '0')}`);

describe('resolveExportPeriods', () => {
	it('Yesterday is one day export, or its 24 hour exports, in Beijing time', () => {
		expect(dates({})).toEqual(['20261116']);
		expect(dates({ exportType: 'hour' })).toEqual(hours('20261116'));
	});

	it('computes Yesterday in Beijing time even when the clock is in another zone', () => {
		// 2026-11-16 20:00 in Los Angeles is already 2026-11-17 12:00 in Beijing
		const la = DateTime.fromISO('2026-11-16T20:00:00', { zone: 'America/Los_Angeles' });
		expect(resolveExportPeriods({ exportType: 'day', dateRange: 'yesterday', now: la }).map((p) => p.exportDate)).toEqual(['20261116']);
	});

	it('Last N Days are the N complete days before today, oldest first', () => {
		expect(dates({ dateRange: 'lastDays', days: 3 })).toEqual(['20261114', '20261115', '20261116']);
		expect(dates({ dateRange: 'lastDays', days: '2' })).toEqual(['20261115', '20261116']);
		expect(dates({ dateRange: 'lastDays', days: 2, exportType: 'hour' })).toEqual([...hours('20261115'), ...hours('20261116')]);
	});

	it('Custom takes dates, date-times and GrowingIO\'s yyyyMMdd[HH[mm]] as Beijing time', () => {
		expect(dates({ dateRange: 'custom', start: '2026-11-10', end: '2026-11-12' })).toEqual(['20261110', '20261111', '20261112']);
		expect(dates({ dateRange: 'custom', start: '20261110' })).toEqual(['20261110']);
		expect(dates({ dateRange: 'custom', start: 20261110, end: '2026-11-11T23:59:59' })).toEqual(['20261110', '20261111']);
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026111009', end: '202611101130' })).toEqual(hours('20261110', 9, 11));
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-10 09:30' })).toEqual(['2026111009']);
	});

	it('for hourly exports, dates (or midnights) on both ends mean whole days', () => {
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-10' })).toEqual(hours('20261110'));
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-10T00:00:00', end: '2026-11-11T00:00:00' })).toEqual([...hours('20261110'), ...hours('20261111')]);
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-10T00:00:00', end: '2026-11-10T02:00:00' })).toEqual(hours('20261110', 0, 2));
	});

	it('converts moments with an offset, JS Dates and luxon DateTimes into Beijing time', () => {
		// 2026-11-09 18:30 UTC = 2026-11-10 02:30 Beijing
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-09T18:30:00Z' })).toEqual(['2026111002']);
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: new Date('2026-11-09T18:30:00Z') })).toEqual(['2026111002']);
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: DateTime.fromISO('2026-11-09T10:30:00', { zone: 'America/Los_Angeles' }) })).toEqual(['2026111002']);
		expect(dates({ dateRange: 'custom', start: '2026-11-09T23:30:00+01:00' })).toEqual(['20261110']);
	});

	it('accepts the whole 15-day window, today and the current hour', () => {
		expect(dates({ dateRange: 'custom', start: '2026-11-02' })).toEqual(['20261102']);
		expect(dates({ dateRange: 'lastDays', days: 15 })).toHaveLength(15);
		expect(dates({ dateRange: 'custom', start: '2026-11-17' })).toEqual(['20261117']);
		expect(dates({ exportType: 'hour', dateRange: 'custom', start: '2026-11-17T10:00' })).toEqual(['2026111710']);
	});

	it.each([
		[{ dateRange: 'custom', start: '2026-11-01' }, 'Start', /^2026-11-01 is older than 15 days: .*the earliest day now is 2026-11-02/],
		[{ dateRange: 'custom', start: '2026-11-01', end: '2026-11-03' }, 'Start', /older than 15 days/],
		[{ dateRange: 'lastDays', days: 16 }, 'Number of Days', /^Number of Days must be a whole number from 1 to 15/],
		[{ dateRange: 'lastDays', days: 2.5 }, 'Number of Days', /whole number/],
		[{ dateRange: 'custom', start: '2026-11-18' }, 'Start', /^2026-11-18 is in the future \(it is 2026-11-17 10:15 in Beijing time\)/],
		[{ dateRange: 'custom', start: '2026-11-16', end: '2026-11-18' }, 'End', /^2026-11-18 is in the future/],
		[{ exportType: 'hour', dateRange: 'custom', start: '2026-11-17T11:00' }, 'Start', /^2026-11-17 11:00 is in the future/],
		[{ dateRange: 'custom', start: '2026-11-12', end: '2026-11-10' }, 'End', /^End \(2026-11-10\) is before Start \(2026-11-12\)/],
		[{ dateRange: 'custom', start: '' }, 'Start', /^Start is empty/],
		[{ dateRange: 'custom', start: '20261332' }, 'Start', /^Start "20261332" is not a date/],
		[{ dateRange: 'custom', start: '2026/11/10' }, 'Start', /^Start "2026\/11\/10" is not a date/],
		[{ dateRange: 'custom', start: 12.5 }, 'Start', /^Start 12.5 is not a date/],
		[{ exportType: 'week' }, 'Export Type', /^Export Type "week" is not day or hour/],
		[{ dateRange: 'lastWeek' }, 'Date Range', /^Date Range "lastWeek" is not one of yesterday, lastDays, custom/],
	])('refuses %j, naming %s', (input, parameter, message) => {
		const error = refusal(input as Partial<ExportPeriodInput>);
		expect(error.parameter).toBe(parameter);
		expect(error.message).toMatch(message);
		expect(error.hint.length).toBeGreaterThan(10);
	});

	it('gives labels, the 12-digit request date and when GrowingIO should be ready', () => {
		const [day] = resolveExportPeriods({ exportType: 'day', dateRange: 'yesterday', now });
		expect([day.label, requestDate(day), expectedReadyAt(day).toISO()]).toEqual(['2026-11-16', '202611160000', '2026-11-17T04:00:00.000+08:00']);
		const [nine, late] = resolveExportPeriods({ exportType: 'hour', dateRange: 'custom', start: '2026-11-16T09:00', end: '2026-11-16T23:00', now }).filter((p) => [9, 23].includes(p.start.hour));
		expect([nine.label, requestDate(nine), expectedReadyAt(nine).toFormat('HH:mm')]).toEqual(['2026-11-16 09:00', '202611160900', '10:40']);
		expect(expectedReadyAt(late).toISO()).toBe('2026-11-17T01:00:00.000+08:00');
	});
});

describe('parseBeijingMoment', () => {
	it('tells dates without a time from date-times', () => {
		expect(parseBeijingMoment('2026-11-10', 'Start')).toMatchObject({ dateOnly: true });
		expect(parseBeijingMoment('20261110', 'Start')).toMatchObject({ dateOnly: true });
		expect(parseBeijingMoment('2026-11-10T00:00:00', 'Start')).toMatchObject({ dateOnly: false });
		expect(parseBeijingMoment('2026111000', 'Start').time.toISO()).toBe('2026-11-10T00:00:00.000+08:00');
	});
});
