import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { readRequestSettings } from '../transport';
import { withNodeErrors } from '../transport/errors';
import { readNumberOption } from '../../../core/helpers/numberParameters';
import { isRawDataType, RAW_DATA_TYPES, type DataTypeSelection, type DownloadSettings, type RawDataType } from './rawExport';
import { resolveExportPeriods, type ExportPeriod } from './rawExportPeriods';

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
	const input = {
		exportType: context.getNodeParameter('exportType', itemIndex),
		dateRange,
		days: dateRange === 'lastDays' ? context.getNodeParameter('days', itemIndex, 3) : undefined,
		start: dateRange === 'custom' ? context.getNodeParameter('startDate', itemIndex, '') : undefined,
		end: dateRange === 'custom' ? context.getNodeParameter('endDate', itemIndex, '') : undefined,
	};
	return withNodeErrors(context.getNode(), itemIndex, () => resolveExportPeriods(input));
}

/** GrowingIO's default link lifetime, for operations that use each link at once. */
const DEFAULT_EXPIRE_MINUTES = 60;

/** Options → Link Lifetime (Minutes): GrowingIO's `expire`, at most 7 days. */
export const LINK_LIFETIME_OPTION = { name: 'expireMinutes', label: 'Link Lifetime (Minutes)', fallback: DEFAULT_EXPIRE_MINUTES, min: 1, max: 10080 };

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
				? Math.round(readNumberOption(this.getNode(), options, LINK_LIFETIME_OPTION, itemIndex))
				: DEFAULT_EXPIRE_MINUTES,
			maxWaitSeconds: readNumberOption(this.getNode(), options, { name: 'maxWaitSeconds', label: 'Max Wait (Seconds)', fallback: 600, min: 1, max: 86400 }, itemIndex),
			waitForCompletion: options.waitForCompletion !== false,
			skipUnavailable: options.skipUnavailable === true,
			maxTries,
			timeoutMs,
		},
	};
}
