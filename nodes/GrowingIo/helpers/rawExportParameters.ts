import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { readRequestSettings } from '../transport';
import { isRawDataType, RAW_DATA_TYPES, type DataTypeSelection, type DownloadSettings, type RawDataType } from './rawExport';
import { resolveExportPeriods, type ExportPeriod } from './rawExportPeriods';
import { TimeRangeError } from './timeRange';

/** Reads the parameters of rawExport.descriptions.ts; bad values become errors naming them. */

export interface RawExportParameters {
	periods: ExportPeriod[];
	dataTypes: DataTypeSelection;
	settings: DownloadSettings;
	/** The item's Options collection, for operation-specific options. */
	options: IDataObject;
}

/** A list from a multi-select, an expression's array, or comma-separated text. */
export function readNameList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value === undefined || value === null ? [] : [value];
	return [...new Set(parts.map((part) => String(part).trim()).filter(Boolean))];
}

function readDataTypes(context: IExecuteFunctions, itemIndex: number): DataTypeSelection {
	const all = context.getNodeParameter('allDataTypes', itemIndex, false);
	return checkDataTypes(context.getNode(), all, context.getNodeParameter('dataTypes', itemIndex, []), itemIndex);
}

/** All Data Types and Data Types, checked (also read by the trigger, which has no items). */
export function checkDataTypes(node: INode, allDataTypes: unknown, value: unknown, itemIndex?: number): DataTypeSelection {
	if (allDataTypes === true) return 'all';
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		throw new NodeOperationError(node, 'Data Types must be a list of data type names, but the expression gave an object', {
			itemIndex,
			description: `Make the expression return a list such as ["custom_event", "page"] or text such as custom_event,page. Data types: ${RAW_DATA_TYPES.join(', ')}.`,
		});
	}
	const names = readNameList(value);
	if (!names.length) {
		throw new NodeOperationError(node, 'Data Types is empty', {
			itemIndex,
			description: 'Choose at least one data type, or turn on All Data Types.',
		});
	}
	const unknown = names.filter((name) => !isRawDataType(name));
	if (unknown.length) {
		throw new NodeOperationError(node, `Data Types: ${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} GrowingIO raw-export data type${unknown.length === 1 ? '' : 's'}`, {
			itemIndex,
			description: `Use one or more of: ${RAW_DATA_TYPES.join(', ')} (GrowingIO's data_type names, lower case).`,
		});
	}
	return names as RawDataType[];
}

function readPeriods(context: IExecuteFunctions, itemIndex: number): ExportPeriod[] {
	const dateRange = context.getNodeParameter('dateRange', itemIndex);
	try {
		return resolveExportPeriods({
			exportType: context.getNodeParameter('exportType', itemIndex),
			dateRange,
			days: dateRange === 'lastDays' ? context.getNodeParameter('days', itemIndex, 3) : undefined,
			start: dateRange === 'custom' ? context.getNodeParameter('startDate', itemIndex, '') : undefined,
			end: dateRange === 'custom' ? context.getNodeParameter('endDate', itemIndex, '') : undefined,
		});
	} catch (error) {
		if (error instanceof TimeRangeError) {
			const message = error.message.startsWith(error.parameter) ? error.message : `${error.parameter}: ${error.message}`;
			throw new NodeOperationError(context.getNode(), message, { itemIndex, description: error.hint });
		}
		throw error;
	}
}

/** A number in an Options collection, from `min` to `max`; absent means `fallback`. */
export function readNumberOption(node: INode, options: IDataObject, name: string, label: string, fallback: number, min: number, max: number, itemIndex?: number): number {
	const value = options[name] ?? fallback;
	const number = typeof value === 'number' || typeof value === 'string' ? Number(value) : NaN;
	if (value === '' || !Number.isFinite(number) || number < min || number > max) {
		throw new NodeOperationError(node, `Options → ${label} must be a number from ${min} to ${max} (got "${String(value)}")`, {
			itemIndex,
			description: `Set ${label} to a number between ${min} and ${max}, or remove the option to use the default (${fallback}).`,
		});
	}
	return number;
}

/** GrowingIO's default link lifetime, for operations that use each link at once. */
const DEFAULT_EXPIRE_MINUTES = 60;

/**
 * `linkLifetime`: the operation offers Options → Link Lifetime (Minutes). Elsewhere a value left
 * in the saved options is not shown, so it is not read either.
 */
export function readRawExportParameters(this: IExecuteFunctions, itemIndex: number, { linkLifetime = false } = {}): RawExportParameters {
	const dataTypes = readDataTypes(this, itemIndex);
	const periods = readPeriods(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { maxTries, timeoutMs } = readRequestSettings(this, itemIndex);
	return {
		periods,
		dataTypes,
		options,
		settings: {
			expireMinutes: linkLifetime
				? Math.round(readNumberOption(this.getNode(), options, 'expireMinutes', 'Link Lifetime (Minutes)', DEFAULT_EXPIRE_MINUTES, 1, 10080, itemIndex))
				: DEFAULT_EXPIRE_MINUTES,
			maxWaitSeconds: readNumberOption(this.getNode(), options, 'maxWaitSeconds', 'Max Wait (Seconds)', 600, 1, 86400, itemIndex),
			waitForCompletion: options.waitForCompletion !== false,
			skipUnavailable: options.skipUnavailable === true,
			maxTries,
			timeoutMs,
		},
	};
}
