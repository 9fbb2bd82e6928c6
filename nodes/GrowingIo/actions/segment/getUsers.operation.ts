import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { getResourceId } from '../../helpers/ids';
import { readLimit } from '../../../../core/helpers/listLimit';
import { readNumberOption } from '../../../../core/helpers/numberParameters';
import { LINK_LIFETIME_OPTION } from '../../helpers/rawExportParameters';
import { getSegmentDownloadLinks, getSegmentUsers, linkExpiresAt, type SegmentLinkSettings } from '../../helpers/segments';
import { limitField, optionsCollection, resourceLocator, returnAllField } from '../common.descriptions';

const show = { resource: ['segment'], operation: ['getUsers'] };
const forUsers = { ...show, output: ['users'] };
const forLink = { '/output': ['downloadLink'] };

/** Only for Output → Download Link. */
const linkOptions: INodeProperties[] = [
	{
		displayName: 'Link Lifetime (Minutes)',
		name: 'expireMinutes',
		type: 'number',
		typeOptions: { minValue: LINK_LIFETIME_OPTION.min, maxValue: LINK_LIFETIME_OPTION.max },
		default: 60,
		description:
			'How long the download link stays valid (GrowingIO\'s expire, at most 10080 = 7 days). A link GrowingIO already issued keeps its first lifetime; the output\'s expiresAt and expiresInMinutes come from the link itself.',
		displayOptions: { show: forLink },
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWaitSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description: 'How long to wait while GrowingIO prepares the file, asking again after 1 s, 2 s, 4 s … up to every 10 s',
		displayOptions: { show: forLink },
	},
];

export const description: INodeProperties[] = [
	resourceLocator({
		name: 'segmentId',
		displayName: 'Segment',
		description: 'The segment (分群) whose users to get',
		searchListMethod: 'searchSegments',
		urlExample: 'segments/Sg3kD7fH',
		show,
	}),
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'users',
		displayOptions: { show },
		options: [
			{
				name: 'Download Link (V3 Exporter)',
				value: 'downloadLink',
				description: 'One item with a link to a CSV file of every user, for segments over 200,000 users',
			},
			{
				name: 'One Item per User',
				value: 'users',
				description: 'One item per user: segmentId plus the columns of GrowingIO\'s user list (up to 200,000 users)',
			},
		],
	},
	{ ...returnAllField('segment', 'getUsers'), displayOptions: { show: forUsers } },
	{ ...limitField('segment', 'getUsers'), displayOptions: { show: { ...forUsers, returnAll: [false] } } },
	optionsCollection(show, linkOptions),
];

function readLinkSettings(context: IExecuteFunctions, itemIndex: number): SegmentLinkSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		expireMinutes: Math.round(readNumberOption(context.getNode(), options, LINK_LIFETIME_OPTION, itemIndex)),
		maxWaitSeconds: readNumberOption(context.getNode(), options, { name: 'maxWaitSeconds', label: 'Max Wait (Seconds)', fallback: 300, min: 1, max: 86400 }, itemIndex),
	};
}

/**
 * users.csv → one item per user, keyed by its header row, every value the text in the file
 * (login IDs such as 00012345 stay strings). Or, through the v3 exporter, one item with the
 * link to the whole list: the only way to get segments over GrowingIO's 200,000-row cap.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const segmentId = await getResourceId.call(this, 'segmentId', 'Segment', 'segment', itemIndex);
	const output = this.getNodeParameter('output', itemIndex) as string;
	let json: IDataObject[];
	if (output === 'downloadLink') {
		const settings = readLinkSettings(this, itemIndex);
		const links = await getSegmentDownloadLinks.call(this, segmentId, settings, itemIndex);
		const expiresAt = linkExpiresAt(links[0]);
		json = [
			{
				segmentId,
				url: links[0],
				downloadLinks: links,
				expiresAt: expiresAt?.startOf('second').toISO({ suppressMilliseconds: true }) ?? null,
				// An issued link keeps its first lifetime, so the link's own expiry wins over the request.
				expiresInMinutes: expiresAt ? Math.max(0, Math.round(expiresAt.diffNow('minutes').minutes)) : settings.expireMinutes,
			},
		];
	} else if (output === 'users') {
		const users = await getSegmentUsers.call(this, segmentId, readLimit.call(this, itemIndex), itemIndex);
		json = users.map((user) => ({ segmentId, ...user }));
	} else {
		throw new NodeOperationError(this.getNode(), `Output "${output}" is not one of One Item per User, Download Link (V3 Exporter)`, {
			itemIndex,
			description: 'Choose an Output from the list, or make the expression return users or downloadLink.',
		});
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(json), { itemData: { item: itemIndex } });
}
