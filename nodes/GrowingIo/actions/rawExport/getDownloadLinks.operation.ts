import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { fileInfo, getExportFiles, partFileName } from '../../helpers/rawExport';
import { readRawExportParameters } from '../../helpers/rawExportParameters';
import { linkLifetimeOption, rawExportFields, rawExportOptions } from '../rawExport.descriptions';

const show = { resource: ['rawExport'], operation: ['getDownloadLinks'] };

export const description: INodeProperties[] = [...rawExportFields(show), rawExportOptions(show, [linkLifetimeOption])];

/**
 * One item per part file: where it comes from, its presigned link and when the link expires.
 * The links need no credential; keep them private until they expire.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { periods, dataTypes, settings } = readRawExportParameters.call(this, itemIndex, { linkLifetime: true });
	const links = [];
	for (const period of periods) {
		for (const file of await getExportFiles.call(this, period, dataTypes, settings, itemIndex)) {
			links.push({ ...fileInfo(file), fileName: partFileName(file), url: file.url, expiresAt: file.expiresAt, requestTime: file.requestTime });
		}
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(links), { itemData: { item: itemIndex } });
}
