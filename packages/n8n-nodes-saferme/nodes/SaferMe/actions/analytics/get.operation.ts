import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { credentialTeamId, saferMeList, saferMeRequest } from '../../transport';
import { simplifyRow } from '../../helpers/simplify';
import { TIME_RANGE_OPTIONS, TimeRangeError } from '../../../../core/helpers/timeRange';
import { isoUtc, resolveRange } from '../../helpers/timeRange';
import { requestOptions } from '../common.descriptions';

const REPORTS = [
	{ name: 'Reports Images', value: 'reports_images', description: 'The images attached to the reports' },
	{ name: 'Reports Over Time', value: 'reports_over_time', description: 'Report counts per time bucket (SaferMe picks the bucket width)' },
	{ name: 'Reports per Day Hour', value: 'reports_per_day_hour', description: 'Report counts per hour of the day' },
	{ name: 'Reports per Field Selection', value: 'reports_per_field_selection', description: 'Report counts per option of a Category, DropDown or Radio field' },
	{ name: 'Reports per State', value: 'reports_per_state', description: 'Report counts per report state' },
	{ name: 'Reports per User', value: 'reports_per_user', description: 'Report counts per reporting user' },
	{ name: 'Reports per Week Day', value: 'reports_per_week_day', description: 'Report counts per day of the week' },
	{ name: 'Reports Read', value: 'reports_read', description: 'How often the reports were read (one item)' },
	{ name: 'User Awareness', value: 'user_awareness', description: 'Area alerts per user' },
];
const REPORT_VALUES = REPORTS.map((r) => r.value);
const READ_FIELDS = ['total_reads', 'unique_reads', 'report_readers', 'reports_seen'];
const AWARENESS_FIELDS = ['total_alerts', 'alert_source_reports', 'unique_alerts', 'alerts_opened'];
const show = { resource: ['analytics'], operation: ['get'] };
const label = (value: string) => value.split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');

export const description: INodeProperties[] = [
	{ displayName: 'Report', name: 'report', type: 'options', options: REPORTS, default: 'reports_over_time', displayOptions: { show } },
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The channel (report feed) whose reports to analyse',
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchChannels', searchable: true } },
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 101',
				validation: [{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A channel ID is a whole number' } }],
			},
		],
		displayOptions: { show },
	},
	{
		displayName: 'Field Name or ID',
		name: 'fieldId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSelectionFields' },
		default: '',
		required: true,
		description: 'A Category, DropDown or Radio field of the team\'s forms. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...show, report: ['reports_per_field_selection'] } },
	},
	{
		displayName: 'Fields',
		name: 'readFields',
		type: 'multiOptions',
		options: READ_FIELDS.map((value) => ({ name: label(value), value })),
		default: ['total_reads'],
		description: 'The numbers to get; SaferMe sends only Total Reads when none is chosen',
		displayOptions: { show: { ...show, report: ['reports_read'] } },
	},
	{
		displayName: 'Fields',
		name: 'awarenessFields',
		type: 'multiOptions',
		options: AWARENESS_FIELDS.map((value) => ({ name: label(value), value })),
		default: ['total_alerts'],
		description: 'The numbers to get per user; SaferMe sends only Total Alerts when none is chosen',
		displayOptions: { show: { ...show, report: ['user_awareness'] } },
	},
	{
		displayName: 'Time Range',
		name: 'timeRange',
		type: 'options',
		options: TIME_RANGE_OPTIONS,
		default: 'last7Days',
		description: 'Days in the timezone of Options → Timezone; weeks start on Monday; "last N days" end yesterday',
		displayOptions: { show },
	},
	{ displayName: 'Start Date', name: 'startDate', type: 'dateTime', default: '', required: true, displayOptions: { show: { ...show, timeRange: ['custom'] } } },
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'A date alone includes the whole day',
		displayOptions: { show: { ...show, timeRange: ['custom'] } },
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to add readable fields: weekday names, hour labels, state names and the bucket start as a date in the timezone',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Timezone',
				name: 'timezone',
				type: 'string',
				default: 'UTC',
				placeholder: 'e.g. Pacific/Auckland',
				description: 'IANA timezone of the time range\'s days and of the simplified dates',
			},
			{
				displayName: 'User Names',
				name: 'userNames',
				type: 'boolean',
				default: false,
				description: 'Whether to add user_name to rows with a user_id (with Simplify; reads the team users once per execution)',
			},
			...requestOptions,
		],
	},
];

/** Team users by execution, so a run with many items reads them once. */
const usersByExecution = new Map<string, Promise<Map<number, string>>>();

async function userNames(this: IExecuteFunctions, itemIndex: number): Promise<Map<number, string>> {
	const key = `${this.getExecutionId()} ${await credentialTeamId(this, itemIndex)}`;
	let users = usersByExecution.get(key);
	if (!users) {
		users = (async () => {
			const teamId = await credentialTeamId(this, itemIndex);
			const rows = await saferMeList(this, { path: `/api/v4/teams/${teamId}/team_users`, itemIndex, subject: 'the team users' });
			return new Map(rows.map((u) => [Number(u.user_id ?? u.id), `${String(u.first_name ?? '')} ${String(u.last_name ?? '')}`.trim()]));
		})();
		usersByExecution.set(key, users);
		users.catch(() => usersByExecution.delete(key));
		// Keep only recent executions.
		if (usersByExecution.size > 20) usersByExecution.delete(usersByExecution.keys().next().value as string);
	}
	return await users;
}

function channelId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('channel', itemIndex, '', { extractValue: true }) as unknown;
	const text = String(raw ?? '').trim();
	if (!/^\d+$/.test(text)) {
		throw new NodeOperationError(this.getNode(), `Channel "${text}" is not a channel ID`, {
			itemIndex,
			description: 'Pick the Channel from the list, or enter its numeric ID (Channel → Get Many lists them).',
		});
	}
	return text;
}

/** One analytics report for the item: one output item per row (Reports Read: one item). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const report = this.getNodeParameter('report', itemIndex) as string;
	if (!REPORT_VALUES.includes(report)) {
		throw new NodeOperationError(this.getNode(), `Report "${report}" is not one of SaferMe's analytics reports`, { itemIndex, description: `Use one of: ${REPORT_VALUES.join(', ')}.` });
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const channel = channelId.call(this, itemIndex);
	let range;
	try {
		range = resolveRange(this.getNodeParameter('timeRange', itemIndex) as string, String(options.timezone ?? 'UTC'), {
			start: this.getNodeParameter('startDate', itemIndex, ''),
			end: this.getNodeParameter('endDate', itemIndex, ''),
		});
	} catch (error) {
		const hint = error instanceof TimeRangeError ? error.hint : undefined;
		throw new NodeOperationError(this.getNode(), (error as Error).message, { itemIndex, description: hint });
	}
	const qs: IDataObject = { channel_id: channel, start_date: isoUtc(range.start), end_date: isoUtc(range.end) };
	if (report === 'reports_per_field_selection') {
		const field = String(this.getNodeParameter('fieldId', itemIndex, '') ?? '').trim();
		if (!/^\d+$/.test(field)) {
			throw new NodeOperationError(this.getNode(), `Field "${field}" is not a field ID`, {
				itemIndex,
				description: 'Pick a Field from the list (Category, DropDown and Radio fields of the team\'s forms), or enter its numeric ID from Form → Get.',
			});
		}
		qs.field_id = field;
	}
	const fieldsParameter = report === 'reports_read' ? 'readFields' : report === 'user_awareness' ? 'awarenessFields' : undefined;
	if (fieldsParameter) {
		const allowed = report === 'reports_read' ? READ_FIELDS : AWARENESS_FIELDS;
		const fields = this.getNodeParameter(fieldsParameter, itemIndex, []) as unknown;
		const list = Array.isArray(fields) ? fields.map(String) : String(fields ?? '').split(',').map((f) => f.trim()).filter(Boolean);
		const unknown = list.filter((f) => !allowed.includes(f));
		if (unknown.length) {
			throw new NodeOperationError(this.getNode(), `Fields: "${unknown.join('", "')}" is not a field of ${label(report)}`, { itemIndex, description: `Use any of: ${allowed.join(', ')}.` });
		}
		if (list.length) qs.fields = list.join(',');
	}

	const { body } = await saferMeRequest(this, { path: `/api/v4/analytics/${report}`, qs, itemIndex, subject: `${label(report)} of channel ${channel}` });
	const rows = report === 'reports_read' ? [body] : body;
	if (!Array.isArray(rows) || rows.some((row) => row === null || typeof row !== 'object')) {
		throw new NodeOperationError(this.getNode(), `SaferMe answered ${label(report)} with something that is not ${report === 'reports_read' ? 'an object' : 'a list of rows'}`, {
			itemIndex,
			description: 'Check that Base URL points at the SaferMe API, e.g. https://api.safer.me.',
		});
	}
	let out = rows as IDataObject[];
	if (this.getNodeParameter('simplify', itemIndex, true) === true) {
		const names = options.userNames === true && out.some((row) => row.user_id !== undefined) ? await userNames.call(this, itemIndex) : undefined;
		out = out.map((row) => simplifyRow(report, row, range.timezone, names));
	}
	return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(out), { itemData: { item: itemIndex } });
}
