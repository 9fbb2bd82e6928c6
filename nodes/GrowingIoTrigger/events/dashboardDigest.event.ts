import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData, INodeParameterResourceLocator, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { resourceLocator } from '../../GrowingIo/actions/common.descriptions';
import { simplifyField } from '../../GrowingIo/actions/report.descriptions';
import { getDashboardData } from '../../GrowingIo/helpers/dashboards';
import { resolveResourceId } from '../../GrowingIo/helpers/ids';
import { BEIJING_TIME } from '../../GrowingIo/helpers/rawExportPeriods';
import { INTERVAL_MS } from '../../GrowingIo/helpers/reportParameters';
import { resolveTimeRange } from '../../GrowingIo/helpers/timeRange';
import { readNumberParameter, readTimezone, stateFor, timezoneField, withParameterErrors, type TriggerEvent } from './event';

/**
 * Dashboard Digest Ready: once a day, when the previous day's numbers are complete, the rows of
 * every chart on a dashboard for that day (what GrowingIO node → Dashboard → Get Data gives for
 * Yesterday). GrowingIO's previous day can lag 3–4 hours after midnight and its docs recommend
 * reading it after 06:00 Beijing time (notes §5.2), hence the default Ready At.
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
		displayName: 'Ready At (Hour, Beijing Time)',
		name: 'readyHour',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 23 },
		default: 6,
		displayOptions: { show },
		description:
			'Hour of GrowingIO\'s day (Beijing time) from which the previous day counts as complete. GrowingIO finishes the previous day 3–4 hours after midnight Beijing time and recommends reading it after 06:00.',
	},
	simplifyField(show),
	timezoneField(show, 'IANA timezone of the day the digest covers and of the times in the output. GrowingIO counts days in Beijing time.'),
];

export async function poll(this: IPollFunctions, state: IDataObject, manual: boolean): Promise<INodeExecutionData[]> {
	const dashboardId = await resolveResourceId.call(this, this.getNodeParameter('dashboardId') as INodeParameterResourceLocator, 'Dashboard', 'dashboard');
	const readyHour = readNumberParameter(this, 'readyHour', 'Ready At (Hour)', 6, 0, 23);
	const timezone = readTimezone(this);
	const now = DateTime.now();
	const range = withParameterErrors(this, () => resolveTimeRange({ preset: 'yesterday', timezone, now }));
	const today = now.setZone(range.timezone).startOf('day');
	const day = today.minus({ days: 1 }).toISODate() as string;
	// GrowingIO finishes its (Beijing) days: the digest waits until Ready At on the Beijing day
	// after the one in which the digest's day ends (for Asia/Shanghai: today at Ready At).
	const lastBeijingDay = today.minus({ milliseconds: 1 }).setZone(BEIJING_TIME).startOf('day');
	const readyAt = lastBeijingDay.plus({ days: 1 }).set({ hour: readyHour });

	// Once per day, after Ready At; Fetch Test Event shows the latest digest at any time. After a
	// downtime only the latest complete day is sent (older days: Dashboard → Get Data, Custom).
	const memory = stateFor(manual ? {} : state, dashboardId);
	if (!manual && (now < readyAt || memory.lastDigestDate === day)) return [];

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
