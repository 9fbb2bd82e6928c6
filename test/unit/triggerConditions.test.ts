import { DateTime } from 'luxon';

import { conditionMet } from '../../nodes/GrowingIoTrigger/events/metricThreshold.event';
import { newPeriodsStart } from '../../nodes/GrowingIoTrigger/events/rawExportReady.event';

describe('Metric Threshold conditions', () => {
	it('Is Above / Is Below are strict', () => {
		expect(conditionMet('above', 10, 10, undefined, null)).toBe(false);
		expect(conditionMet('above', 10, 10.01, undefined, null)).toBe(true);
		expect(conditionMet('below', 10, 10, undefined, null)).toBe(false);
		expect(conditionMet('below', 10, 9.99, undefined, null)).toBe(true);
	});

	it('Crosses: touching the threshold and going back is no crossing; passing through it is one', () => {
		expect(conditionMet('crosses', 10, 10, 'above', null)).toBe(false); // 15 → 10
		expect(conditionMet('crosses', 10, 15, 'above', null)).toBe(false); // 10 → 15, last side still above
		expect(conditionMet('crosses', 10, 5, 'above', null)).toBe(true); // … → 5
		expect(conditionMet('crosses', 10, 15, undefined, null)).toBe(false); // first poll: nothing to cross from
	});

	it('Changes By compares with the baseline, either direction, and needs a baseline', () => {
		expect(conditionMet('changesBy', 20, 130, undefined, null)).toBe(false);
		expect(conditionMet('changesBy', 20, 120, undefined, 100)).toBe(false);
		expect(conditionMet('changesBy', 20, 121, undefined, 100)).toBe(true);
		expect(conditionMet('changesBy', 20, 79, undefined, 100)).toBe(true);
		expect(conditionMet('changesBy', 20, 1, undefined, 0)).toBe(true);
		expect(conditionMet('changesBy', 20, 0, undefined, 0)).toBe(false);
	});
});

describe('New Periods Only start', () => {
	const at = (beijing: string) => DateTime.fromISO(beijing, { zone: 'Asia/Shanghai' });
	const start = (exportType: 'day' | 'hour', beijing: string) => newPeriodsStart(exportType, at(beijing)).toFormat('yyyy-MM-dd HH:mm');

	it.each([
		// Day exports are due 4 h after Beijing midnight: until then the day just ended is new.
		['day', '2026-11-21T03:59', '2026-11-20 00:00'],
		['day', '2026-11-21T04:00', '2026-11-21 00:00'],
		['day', '2026-11-21T18:00', '2026-11-21 00:00'],
		// Hour exports are due 40 min after the hour, 60 min for the hours from 23:00 to 02:00.
		['hour', '2026-11-21T10:39', '2026-11-21 09:00'],
		['hour', '2026-11-21T10:40', '2026-11-21 10:00'],
		['hour', '2026-11-21T00:59', '2026-11-20 23:00'],
		['hour', '2026-11-21T01:00', '2026-11-21 00:00'],
	] as const)('%s exports at %s Beijing time start at %s', (exportType, beijing, expected) => {
		expect(start(exportType, beijing)).toBe(expected);
	});

	it('is the same on every poll until that export is due, so a restart before it changes nothing', () => {
		const first = newPeriodsStart('day', at('2026-11-20T10:00'));
		for (const later of ['2026-11-20T23:59', '2026-11-21T01:00', '2026-11-21T03:59']) expect(newPeriodsStart('day', at(later)).equals(first)).toBe(true);
	});
});
