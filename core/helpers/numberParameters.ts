import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

/**
 * Number parameters and options, read the same way by the node's operations and the trigger's
 * events. The editor enforces minValue and maxValue, but an expression can give anything: a
 * number or numeric text within the range passes, anything else is an error naming the parameter.
 */

export interface NumberRange {
	/** Inclusive; -Infinity for no lower bound. */
	min: number;
	/** Inclusive; absent (or Infinity) for no upper bound. */
	max?: number;
	/** Whether only whole numbers pass. */
	whole?: boolean;
}

/** `value` as a number within `range`, or undefined (text counts when it is a number). */
export function numberInRange(value: unknown, { min, max = Infinity, whole = false }: NumberRange): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < min || number > max) return undefined;
	return whole && !Number.isInteger(number) ? undefined : number;
}

/** "a whole number from 1 to 15", "a number of at least 1", "a number". */
export function describeRange({ min, max = Infinity, whole = false }: NumberRange): string {
	const kind = whole ? 'a whole number' : 'a number';
	if (Number.isFinite(min) && Number.isFinite(max)) return `${kind} from ${min} to ${max}`;
	if (Number.isFinite(min)) return `${kind} of at least ${min}`;
	if (Number.isFinite(max)) return `${kind} of at most ${max}`;
	return kind;
}

/** "a number between 1 and 10", for the what-to-do text. */
function between(range: NumberRange): string {
	return Number.isFinite(range.min) && Number.isFinite(range.max ?? Infinity)
		? `${range.whole ? 'a whole number' : 'a number'} between ${range.min} and ${range.max}`
		: describeRange(range);
}

export interface NumberParameter extends NumberRange {
	/** The parameter as the user sees it, e.g. `Limit` or `Options → Max Tries`. */
	label: string;
	/** What the error's description tells the user to do; by default, to enter a number in the range. */
	fix?: string;
}

/** A number parameter's value, checked against `parameter`'s range. */
export function readNumberInRange(node: INode, value: unknown, parameter: NumberParameter, itemIndex?: number): number {
	const number = numberInRange(value, parameter);
	if (number === undefined) {
		throw new NodeOperationError(node, `${parameter.label} must be ${describeRange(parameter)} (got "${String(value)}")`, {
			itemIndex,
			description: parameter.fix ?? `Set ${parameter.label} to ${between(parameter)}.`,
		});
	}
	return number;
}

export interface NumberOption extends NumberRange {
	/** The option's name in the Options collection. */
	name: string;
	/** Its display name, e.g. `Max Tries`. */
	label: string;
	/** The value when the option is not set. */
	fallback: number;
	fix?: string;
}

/** A number in an Options collection; an option not set is `fallback`. */
export function readNumberOption(node: INode, options: IDataObject, option: NumberOption, itemIndex?: number): number {
	return readNumberInRange(
		node,
		options[option.name] ?? option.fallback,
		{
			...option,
			label: `Options → ${option.label}`,
			fix: option.fix ?? `Set ${option.label} to ${between(option)}, or remove the option to use the default (${option.fallback}).`,
		},
		itemIndex,
	);
}
