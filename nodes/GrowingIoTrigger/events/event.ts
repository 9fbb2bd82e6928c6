import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import { timezoneField as sharedTimezoneField } from '../../GrowingIo/actions/common.descriptions';
import { DEFAULT_TIMEZONE, TimeRangeError } from '../../GrowingIo/helpers/timeRange';

/**
 * What every trigger event provides. `state` is the event's part of the workflow's static data:
 * n8n saves it with each emitted poll, so it survives restarts. In manual mode ("Fetch Test
 * Event") the event gets a copy, returns a representative sample and its changes are dropped.
 */
export interface TriggerEvent {
	description: INodeProperties[];
	poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]>;
}

/** A parameter error of the trigger: the message names the parameter, the description the fix. */
export function parameterError(context: IPollFunctions, message: string, fix: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { description: fix });
}

/** Runs a time-range helper; its TimeRangeError becomes a node error naming the parameter. */
export function withParameterErrors<T>(context: IPollFunctions, read: () => T): T {
	try {
		return read();
	} catch (error) {
		if (error instanceof TimeRangeError) {
			const message = error.message.startsWith(error.parameter) ? error.message : `${error.parameter}: ${error.message}`;
			throw parameterError(context, message, error.hint);
		}
		throw error;
	}
}

/** A number parameter of the trigger within [min, max]; an expression giving text or nothing is an error. */
export function readNumberParameter(context: IPollFunctions, name: string, label: string, fallback: number, min: number, max: number): number {
	const value = context.getNodeParameter(name, fallback);
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number) || number < min || number > max) {
		throw parameterError(context, `${label} must be a number from ${min} to ${max} (got "${String(value)}")`, `Set ${label} to a number between ${min} and ${max}.`);
	}
	return number;
}

/**
 * The event's state, reset when what it watches changes (another chart, dashboard or
 * threshold), so a new target never inherits the old one's cursor or "already fired" flag.
 */
export function stateFor(state: IDataObject, target: string): IDataObject {
	if (state.target !== target) {
		for (const key of Object.keys(state)) delete state[key];
		state.target = target;
	}
	return state;
}

/** The events' Timezone field (the node's shared one): day boundaries and output times. */
export const timezoneField = (show: Record<string, string[]>, description: string): INodeProperties => sharedTimezoneField(description, show);

/** Timezone, Asia/Shanghai when empty (a name that does not exist is refused by resolveTimeRange). */
export function readTimezone(context: IPollFunctions): string {
	return String(context.getNodeParameter('timezone', DEFAULT_TIMEZONE) ?? '').trim() || DEFAULT_TIMEZONE;
}
