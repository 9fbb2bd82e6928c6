import type { IBinaryKeyData, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadPartBinary, fileInfo, getExportFiles, partFileName } from '../../helpers/rawExport';
import { readRawExportParameters } from '../../helpers/rawExportParameters';
import { rawExportFields, rawExportOptions } from '../rawExport.descriptions';

const show = { resource: ['rawExport'], operation: ['download'] };

export const description: INodeProperties[] = [
	...rawExportFields(show),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show },
		hint: 'The name of the output binary field to put each file in',
		description: 'Each part file becomes one item with the file in this binary field',
	},
	rawExportOptions(show, [
		{
			displayName: 'Decompress',
			name: 'decompress',
			type: 'boolean',
			default: false,
			description: 'Whether to gunzip each file while downloading and output it as .csv (text/csv) instead of GrowingIO\'s .csv.gz',
		},
	]),
];

/**
 * One item per part file, streamed into n8n's binary data (with the filesystem or S3 binary mode
 * the file never sits in memory). A part whose download is short of Content-Length or is not
 * valid gzip is downloaded again with fresh links; no incomplete file is ever output.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const { periods, dataTypes, settings, options } = readRawExportParameters.call(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data') ?? '').trim();
	if (!field) {
		throw new NodeOperationError(this.getNode(), 'Put Output File in Field is empty', {
			itemIndex,
			description: 'Enter the name of the binary field for the files, e.g. data.',
		});
	}
	const decompress = options.decompress === true;
	const inputBinary = this.getInputData()[itemIndex]?.binary;

	const items: INodeExecutionData[] = [];
	for (const period of periods) {
		for (const file of await getExportFiles.call(this, period, dataTypes, settings, itemIndex)) {
			const fileName = partFileName(file, decompress);
			const binary = await downloadPartBinary.call(this, file, decompress, settings, itemIndex);
			const binaryData: IBinaryKeyData = { ...(inputBinary ?? {}), [field]: binary };
			items.push({ json: { ...fileInfo(file), fileName }, binary: binaryData });
		}
	}
	return this.helpers.constructExecutionMetaData(items, { itemData: { item: itemIndex } });
}
