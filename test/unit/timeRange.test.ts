import { DateTime } from 'luxon';

import { dataCompleteness, isWindowComplete, resolveTimeRange } from '../../nodes/GrowingIo/helpers/timeRange';
import { TimeRangeError } from '../../core/helpers/timeRange';

// Wednesday 2026-11-18 10:15 in Beijing
const now = DateTime.fromISO('2026-11-18T10:15:00', { zone: 'Asia/Shanghai' });
const iso = (ms: number, zone = 'Asia/Shanghai') => DateTime.fromMillis(ms, { zone }).toISO({ includeOffset: false });

function range(preset: string, extra: Record<string, unknown> = {}) {
	const { startTime, endTime, days } = resolveTimeRange({ preset, now, ...extra });
	return [iso(startTime, (extra.timezone as string) ?? 'Asia/Shanghai'), iso(endTime, (extra.timezone as string) ?? 'Asia/Shanghai'), days];
}

describe('resolveTimeRange', () => {
	it.each([
		['today', '2026-11-18T00:00:00.000', '2026-11-18T23:59:59.999', 1],
		['yesterday', '2026-11-17T00:00:00.000', '2026-11-17T23:59:59.999', 1],
		['last7Days', '2026-11-11T00:00:00.000', '2026-11-17T23:59:59.999', 7],
		['last30Days', '2026-10-19T00:00:00.000', '2026-11-17T23:59:59.999', 30],
		['thisWeek', '2026-11-16T00:00:00.000', '2026-11-18T23:59:59.999', 3],
		['lastWeek', '2026-11-09T00:00:00.000', '2026-11-15T23:59:59.999', 7],
		['thisMonth', '2026-11-01T00:00:00.000', '2026-11-18T23:59:59.999', 18],
		['lastMonth', '2026-10-01T00:00:00.000', '2026-10-31T23:59:59.999', 31],
	])('%s runs from %s to %s in Beijing time', (preset, start, end, days) => {
		expect(range(preset)).toEqual([start, end, days]);
	});

	it('matches the millisecond sample in GrowingIO\'s docs (2019-10-15 … 2019-10-28, Beijing)', () => {
		const r = resolveTimeRange({ preset: 'custom', start: '2019-10-15', end: '2019-10-28', now });
		expect([r.startTime, r.endTime]).toEqual([1571068800000, 1572278399999]);
	});

	it('computes presets in another timezone when asked', () => {
		expect(range('yesterday', { timezone: 'Europe/Berlin' })).toEqual(['2026-11-17T00:00:00.000', '2026-11-17T23:59:59.999', 1]);
	});

	it('takes custom date-times as given', () => {
		expect(range('custom', { start: '2026-11-01T08:00:00', end: '2026-11-01T09:30:00' })).toEqual([
			'2026-11-01T08:00:00.000',
			'2026-11-01T09:30:00.000',
			1,
		]);
	});

	it.each([
		[{ preset: 'custom', start: '2026-11-10', end: '2026-11-01' }, 'End Date', /before Start Date/],
		[{ preset: 'custom', start: '', end: '2026-11-01' }, 'Start Date', /Start Date is empty/],
		[{ preset: 'custom', start: '2026-11-01', end: 'tomorrow' }, 'End Date', /End Date "tomorrow" is not a date/],
		[{ preset: 'yesterday', timezone: 'Mars/Olympus' }, 'Timezone', /Timezone "Mars\/Olympus" does not exist/],
		[{ preset: 'fortnight' }, 'Time Range', /not one of the presets/],
	])('rejects %j naming %s', (input, parameter, message) => {
		try {
			resolveTimeRange({ ...input, now });
			throw new Error('expected a TimeRangeError');
		} catch (error) {
			expect(error).toBeInstanceOf(TimeRangeError);
			expect((error as TimeRangeError).parameter).toBe(parameter);
			expect((error as Error).message).toMatch(message);
		}
	});

	describe('Exclude Incomplete Data', () => {
		it('ends today 30 minutes before now', () => {
			expect(range('today', { excludeIncompleteData: true })[1]).toBe('2026-11-18T09:44:59.999');
		});

		it('keeps yesterday whole after 06:00', () => {
			expect(range('yesterday', { excludeIncompleteData: true })[1]).toBe('2026-11-17T23:59:59.999');
		});

		// The 06:00 rule is Beijing time: at 05:59 Beijing it is 13:59 the day before in Los Angeles
		// and 21:59 in UTC, and GrowingIO's previous Beijing day (the 19th) is still being finished.
		const beijing = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' });
		it.each([
			['America/Los_Angeles', '2026-11-20T05:59', '2026-11-18T07:59:59.999'],
			['America/Los_Angeles', '2026-11-20T06:01', '2026-11-18T23:59:59.999'],
			['UTC', '2026-11-20T05:59', '2026-11-18T15:59:59.999'],
			['UTC', '2026-11-20T06:01', '2026-11-18T23:59:59.999'],
		])('in %s at %s Beijing time ends yesterday at %s (the 06:00 rule in Beijing time)', (timezone, clock, end) => {
			const r = resolveTimeRange({ preset: 'yesterday', timezone, now: beijing(clock), excludeIncompleteData: true });
			expect(iso(r.endTime, timezone)).toBe(end);
		});

		it('in Los Angeles before 06:00 local time but after 06:00 Beijing keeps yesterday whole', () => {
			// 2026-11-20 04:00 in Los Angeles is 20:00 Beijing: the 19th (Beijing) is finished.
			const now = DateTime.fromISO('2026-11-20T04:00', { zone: 'America/Los_Angeles' });
			const r = resolveTimeRange({ preset: 'yesterday', timezone: 'America/Los_Angeles', now, excludeIncompleteData: true });
			expect(iso(r.endTime, 'America/Los_Angeles')).toBe('2026-11-19T23:59:59.999');
		});

		// Today in Los Angeles just after its midnight: only the 30 minutes' lag. Today in UTC at
		// 03:00 Beijing: GrowingIO's previous Beijing day (complete until 16:00 UTC the day before) is
		// still being finished. The message gives the time in the chosen timezone.
		it.each([
			['America/Los_Angeles', DateTime.fromISO('2026-11-19T00:10', { zone: 'America/Los_Angeles' }), '2026-11-18 23:40 America/Los_Angeles'],
			['UTC', beijing('2026-11-20T03:00'), '2026-11-18 16:00 UTC'],
		])('refuses today in %s at %s, naming the time data is complete up to', (timezone, clock, completeUntil) => {
			expect(() => resolveTimeRange({ preset: 'today', timezone, now: clock, excludeIncompleteData: true })).toThrow(`no complete data for this time range yet (data is complete up to ${completeUntil})`);
		});

		it('refuses yesterday before 06:00, when its daily jobs have not finished', () => {
			const early = DateTime.fromISO('2026-11-18T03:00:00', { zone: 'Asia/Shanghai' });
			expect(() => resolveTimeRange({ preset: 'yesterday', now: early, excludeIncompleteData: true })).toThrow(/no complete data/);
			const last7 = resolveTimeRange({ preset: 'last7Days', now: early, excludeIncompleteData: true });
			expect(iso(last7.endTime)).toBe('2026-11-16T23:59:59.999');
		});
	});

	describe('dataCompleteness / isWindowComplete', () => {
		const beijing = (text: string) => DateTime.fromISO(text, { zone: 'Asia/Shanghai' });
		const day = (date: string, zone: string) => {
			const start = DateTime.fromISO(date, { zone });
			return { startTime: start.toMillis(), endTime: start.endOf('day').toMillis() };
		};

		it('a Beijing day is final from 06:00 Beijing time the next day, or from Ready At', () => {
			expect(dataCompleteness(beijing('2026-11-20T05:59')).finalUntil.toISO()).toBe('2026-11-19T00:00:00.000+08:00');
			expect(dataCompleteness(beijing('2026-11-20T06:00')).finalUntil.toISO()).toBe('2026-11-20T00:00:00.000+08:00');
			expect(dataCompleteness(beijing('2026-11-20T07:59'), 8).finalUntil.toISO()).toBe('2026-11-19T00:00:00.000+08:00');
		});

		it.each([
			// Yesterday in Los Angeles (the 18th) ends at 16:00 Beijing on the 19th.
			['America/Los_Angeles', '2026-11-18', '2026-11-20T05:59', false],
			['America/Los_Angeles', '2026-11-18', '2026-11-20T06:01', true],
			// Yesterday in UTC (the 18th) ends at 08:00 Beijing on the 19th.
			['UTC', '2026-11-18', '2026-11-20T05:59', false],
			['UTC', '2026-11-18', '2026-11-20T06:01', true],
			// Yesterday in UTC (the 19th) ends at 08:00 Beijing on the 20th: 30 minutes' lag.
			['UTC', '2026-11-19', '2026-11-20T08:10', false],
			['UTC', '2026-11-19', '2026-11-20T08:31', true],
			['Asia/Shanghai', '2026-11-19', '2026-11-20T05:59', false],
			['Asia/Shanghai', '2026-11-19', '2026-11-20T06:01', true],
		])('%s %s is complete at %s Beijing: %s', (zone, date, clock, complete) => {
			expect(isWindowComplete(day(date, zone), beijing(clock))).toBe(complete);
		});

		it('a window running until now lacks only its live last 30 minutes, except while the previous day is finished', () => {
			expect(isWindowComplete(day('2026-11-20', 'Asia/Shanghai'), beijing('2026-11-20T10:00'))).toBe(true);
			expect(isWindowComplete(day('2026-11-20', 'Asia/Shanghai'), beijing('2026-11-20T03:00'))).toBe(false);
		});
	});
});
