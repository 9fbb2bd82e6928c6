import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getDownloadLinks from './getDownloadLinks.operation';
import * as getRows from './getRows.operation';

export { download, getDownloadLinks, getRows };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['rawExport'] } },
		options: [
			{
				name: 'Download',
				value: 'download',
				description: 'Download the gzip CSV files of raw events into binary data, one item per file',
				action: 'Download raw export files',
			},
			{
				name: 'Get Download Links',
				value: 'getDownloadLinks',
				description: 'Get the presigned links of the raw export files, one item per file',
				action: 'Get raw export download links',
			},
			{
				name: 'Get Rows',
				value: 'getRows',
				description: 'Read the raw events of the export files, one item per row',
				action: 'Get raw export rows',
			},
		],
		default: 'download',
	},
	...download.description,
	...getDownloadLinks.description,
	...getRows.description,
];
