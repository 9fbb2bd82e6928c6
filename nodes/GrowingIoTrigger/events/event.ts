import { NodeOperationError, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import { timezoneField as sharedTimezoneField } from '../../GrowingIo/actions/common.descriptions';
import { readNumberInRange, type NumberRange } from '../../../core/helpers/numberParameters';
import { DEFAULT_TIMEZONE } from '../../GrowingIo/helpers/timeRange';
import { withNodeErrors } from '../../GrowingIo/transport/errors';

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

/** The events' Timezone field (the node's shared one): day boundaries and output times. */
export const timezoneField = (show: Record<string, string[]>, description: string): INodeProperties => sharedTimezoneField(description, show);

/** Timezone, Asia/Shanghai when empty (a name that does not exist is refused by resolveTimeRange). */
export function readTimezone(context: IPollFunctions): string {
	return String(context.getNodeParameter('timezone', DEFAULT_TIMEZONE) ?? '').trim() || DEFAULT_TIMEZONE;
}
