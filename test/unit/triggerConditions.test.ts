import { conditionMet } from '../../nodes/GrowingIoTrigger/events/metricThreshold.event';

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
