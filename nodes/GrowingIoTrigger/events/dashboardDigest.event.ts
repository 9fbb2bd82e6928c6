import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { optionsCollection, resourceLocator, workersSharingProjectOption } from '../../GrowingIo/actions/common.descriptions';
import { simplifyField } from '../../GrowingIo/actions/report.descriptions';
import { getDashboardData } from '../../GrowingIo/helpers/dashboards';
import { resolveResourceId } from '../../GrowingIo/helpers/ids';
import { INTERVAL_MS } from '../../GrowingIo/helpers/reportParameters';
import { dataCompleteness, resolveTimeRange } from '../../GrowingIo/helpers/timeRange';
import { stateFor, type TriggerEvent } from '../../../core/trigger/pollEvents';
import { readNumberParameter, readTimezone, timezoneField, withParameterErrors } from './event';

/**
 * Dashboard Digest Ready: once a day, when the previous day's numbers are complete, the rows of
 * every chart on a dashboard for that day (what GrowingIO node → Dashboard → Get Data gives for
 * Yesterday). GrowingIO's previous day can lag 3–4 hours after midnight and its docs recommend
 * reading it after 06:00 Beijing time, hence the default Ready At; the day is sent once it is final
 * by the completeness rule the report options and Metric Threshold use too (dataCompleteness).
 */

const show = { event: ['dashboardDigest'] };

export const description: INodeProperties[] = [
	resourceLocator({
		name: 'dashboardId',
		displayName: 'Dashboard',
		description: 'The dashboard (看板) whose charts make the digest',
		searchListMethod: 'searchDashboards',
		urlExample: 'dashboard/YoX28w7R',
		show,
	}),
	{
		displayName:
			'The digest covers yesterday in the Timezone below and is sent once GrowingIO has finished it: at Ready At, Beijing time, on the Beijing day after the one in which that day ends. For Asia/Shanghai that is today at Ready At; for a timezone behind Beijing (e.g. America/Los_Angeles) Ready At Beijing time the following day.',
		name: 'readyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Ready At (Hour, Beijing Time)',
		name: 'readyHour',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 23 },
		default: 6,
		displayOptions: { show },
		hint: 'Always Beijing time, whatever the Timezone below: GrowingIO finishes its days on Beijing time',
		description:
			'Hour of GrowingIO\'s day (Beijing time) from which the previous Beijing day counts as final. GrowingIO finishes the previous day 3–4 hours after midnight Beijing time and recommends reading it after 06:00. The Timezone below only chooses which day is "yesterday" and the times in the output.',
	},
	simplifyField(show),
	timezoneField(show, 'IANA timezone of the day the digest covers and of the times in the output. GrowingIO counts days in Beijing time.'),
	optionsCollection(show, [workersSharingProjectOption], { requestSettings: false }),
];

export async function poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const dashboardId = await resolveResourceId.call(this, this.getNodeParameter('dashboardId') as INodeParameterResourceLocator, 'Dashboard', 'dashboard');
	const readyHour = readNumberParameter(this, 'readyHour', 'Ready At (Hour)', 6, { min: 0, max: 23 });
	const timezone = readTimezone(this);
	const now = DateTime.now();
	const range = withParameterErrors(this, () => resolveTimeRange({ preset: 'yesterday', timezone, now }));
	const day = now.setZone(range.timezone).startOf('day').minus({ days: 1 }).toISODate() as string;
	// Sent once final: GrowingIO has finished every Beijing day the digest's day touches, i.e.
	// Ready At on the Beijing day after the one in which it ends (for Asia/Shanghai: today).
	const final = range.endTime < dataCompleteness(now, readyHour).finalUntil.toMillis();

	// Once per day, after Ready At; Fetch Test Event shows the latest digest at any time. After a
	// downtime only the latest complete day is sent (older days: Dashboard → Get Data, Custom).
	const memory = stateFor(manual ? {} : state, dashboardId);
	if (!manual && (!final || memory.lastDigestDate === day)) return [];

	const rows = await getDashboardData.call(this, dashboardId, {
		range,
		interval: INTERVAL_MS.day,
		apiVersion: 'v2',
		maxWaitSeconds: 120,
		simplify: this.getNodeParameter('simplify', true) === true,
	});
	memory.lastDigestDate = day;
	// A dashboard without charts still says the digest ran.
	const items = rows.length ? rows : [{ dashboardId, chartCount: 0 }];
	return items.map((row) => ({ json: { digestDate: day, ...row } }));
}

export const dashboardDigest: TriggerEvent = { description, poll };
