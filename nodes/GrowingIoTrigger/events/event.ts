import { NodeOperationError, type IDataObject, type INodeExecutionData, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import { timezoneField as sharedTimezoneField } from '../../GrowingIo/actions/common.descriptions';
import { readNumberInRange, type NumberRange } from '../../../core/helpers/numberParameters';
import { DEFAULT_TIMEZONE } from '../../GrowingIo/helpers/timeRange';
import { withNodeErrors } from '../../GrowingIo/transport/errors';

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
	return withNodeErrors(context.getNode(), undefined, read);
}

/** A number parameter of the trigger; an expression giving text or nothing is an error. */
export function readNumberParameter(context: IPollFunctions, name: string, label: string, fallback: number, range: NumberRange): number {
	return readNumberInRange(context.getNode(), context.getNodeParameter(name, fallback), { label, ...range });
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
