/**
 * Deterministic numbers for sample data: the same inputs give the same values in every run,
 * so tests can compute what the sandbox will answer.
 */

/** 32-bit FNV-1a of a UTF-16 string; small, fast and good enough to spread sample values. */
export function fnv1a(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** A number in [0, 1) derived from the parts; equal parts give an equal number. */
export function unitHash(...parts: Array<string | number>): number {
	// One extra mixing round: FNV alone barely changes the top bits for inputs that differ at the end.
	let hash = fnv1a(parts.join('\u0001'));
	hash ^= hash >>> 16;
	hash = Math.imul(hash, 0x45d9f3b);
	hash ^= hash >>> 16;
	return (hash >>> 0) / 0x1_0000_0000;
}

/** An integer in [min, max] derived from the parts. */
export function intHash(min: number, max: number, ...parts: Array<string | number>): number {
	return min + Math.floor(unitHash(...parts) * (max - min + 1));
}

export type Random = () => number;

/** mulberry32: a seeded generator for long runs of values (raw export rows). */
export function seededRandom(seed: string | number): Random {
	let state = typeof seed === 'number' ? seed >>> 0 : fnv1a(seed);
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
	};
}

export function pick<T>(random: Random, values: readonly T[]): T {
	return values[Math.floor(random() * values.length)];
}
