import { credentialsFor, analytics, runSaferMe, withSandbox } from './saferMeSandbox';
import type { SaferMeSandbox } from '../sandbox/server';

const DAY = 86400_000;
const sum = (rows: Array<Record<string, unknown>>, key = 'report_count') => rows.reduce((total, row) => total + Number(row[key]), 0);

/** The test's own count of the channel's reports in [start, end), from the stored records. */
function storedReports(sandbox: SaferMeSandbox, channel: number, start: Date, end: Date) {
	return sandbox.data.reports.filter((r) => r.channel_id === channel && r.created_at >= start && r.created_at < end);
}

describe('SaferMe Analytics → Get against the imitation', () => {
	const now = new Date();
	const start = new Date(Math.floor((now.getTime() - 45 * DAY) / DAY) * DAY);
	const end = new Date(start.getTime() + 30 * DAY);

	it('counts every report in the range once in over time, per state, per user, per day hour and per week day', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const expected = storedReports(sandbox, 101, start, end).length;
			expect(expected).toBeGreaterThan(20);
			for (const report of ['reports_over_time', 'reports_per_state', 'reports_per_user', 'reports_per_day_hour', 'reports_per_week_day']) {
				const { json, error } = await runSaferMe(analytics(report, 101, start, end), credentials);
				expect(error).toBeUndefined();
				expect({ report, total: sum(json) }).toEqual({ report, total: expected });
			}
			const analyticsRequests = sandbox.requests.filter((r) => r.path.startsWith('/api/v4/analytics/'));
			expect(analyticsRequests).toHaveLength(5);
			for (const request of analyticsRequests) {
				expect(request.query).toEqual({ channel_id: '101', start_date: start.toISOString().replace('.000', ''), end_date: end.toISOString().replace('.000', '') });
				expect(request.status).toBe(200);
			}
		});
	});

	it('reads images, field selections, reads and user awareness that agree with the stored reports', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const reports = storedReports(sandbox, 101, start, end);

			const images = await runSaferMe(analytics('reports_images', 101, start, end), credentials);
			expect(images.json).toHaveLength(reports.reduce((n, r) => n + r.images.length, 0));
			expect(images.json[0]).toEqual(expect.objectContaining({ report_image_id: expect.any(Number), styles: expect.objectContaining({ thumb: expect.any(String) }) }));

			const severity = await runSaferMe(analytics('reports_per_field_selection', 101, start, end, { fieldId: '22' }), credentials);
			expect(sum(severity.json)).toBe(reports.length);
			expect(severity.json.map((row) => row.name)).toEqual(expect.arrayContaining(['Low', 'High']));

			const read = await runSaferMe(analytics('reports_read', 101, start, end, { readFields: ['total_reads', 'reports_seen'] }), credentials);
			expect(read.json).toEqual([{ total_reads: reports.reduce((n, r) => n + r.reads.length, 0), reports_seen: reports.filter((r) => r.reads.length).length }]);

			const ids = new Set(reports.map((r) => r.id));
			const deliveries = sandbox.data.alerts.filter((a) => ids.has(a.report_id)).flatMap((a) => a.deliveries);
			const awareness = await runSaferMe(analytics('user_awareness', 101, start, end, { awarenessFields: ['total_alerts', 'alerts_opened'] }), credentials);
			expect(sum(awareness.json, 'total_alerts')).toBe(deliveries.length);
			expect(sum(awareness.json, 'alerts_opened')).toBe(deliveries.filter((d) => d.opened).length);
			expect(Object.keys(awareness.json[0]).sort()).toEqual(['alerts_opened', 'first_name', 'last_name', 'total_alerts', 'user_id']);
			expect(sandbox.requests.find((r) => r.path.endsWith('/reports_read'))?.query.fields).toBe('total_reads,reports_seen');
		});
	});

	it('simplifies rows: weekday names, hour labels, state names, bucket dates in the timezone and user names read once', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const simplified = (report: string, options = {}) =>
				runSaferMe(analytics(report, 101, start, end, { simplify: true, options: { timezone: 'Pacific/Auckland', ...options } }), credentials);
			const weekDays = await simplified('reports_per_week_day');
			for (const row of weekDays.json) expect(row.weekday).toBe(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][row.dow as number]);
			const hours = await simplified('reports_per_day_hour');
			// The sample reports move with the clock, so every hour row is checked, not one fixed hour.
			expect(hours.json.length).toBeGreaterThan(0);
			const label = (hour: number) => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;
			for (const row of hours.json) expect(row.hour_label).toBe(label(row.hour as number));
			const states = await simplified('reports_per_state');
			expect(states.json.map((row) => row.state_name).sort()).toEqual(sandbox.data.states.map((s) => s.name).sort());
			const overTime = await simplified('reports_over_time');
			expect(overTime.json.length).toBeGreaterThan(0);
			// Auckland is ahead of UTC: a UTC midnight bucket is that same calendar day there.
			for (const row of overTime.json) expect(row.date).toBe(String(row.datetime_range_start).slice(0, 10));
			const before = sandbox.requests.length;
			const users = await runSaferMe(analytics('reports_per_user', 101, start, end, { simplify: true, options: { userNames: true } }), credentials, [{}, {}]);
			expect(users.error).toBeUndefined();
			const names = new Map(sandbox.data.users.map((u) => [u.id, `${u.first_name} ${u.last_name}`]));
			for (const row of users.json) expect(row.user_name).toBe(names.get(row.user_id as number));
			expect(sandbox.requests.slice(before).filter((r) => r.path.endsWith('/team_users'))).toHaveLength(1);
		});
	});

	it('refuses a field of the wrong type with SaferMe\'s reason, and bad inputs with errors naming the parameter', async () => {
		await withSandbox(async (sandbox) => {
			const credentials = credentialsFor(sandbox);
			const text = await runSaferMe(analytics('reports_per_field_selection', 101, start, end, { fieldId: '24' }), credentials);
			expect(text.error?.message).toBe(
				'SaferMe refused the request for Reports Per Field Selection of channel 101 (HTTP 422): field_type must be one of Category, DropDown, Radio (field 24 is ShortTextBox)',
			);
			const before = sandbox.requests.length;
			const channel = await runSaferMe({ ...analytics('reports_per_state', 101, start, end), channel: { __rl: true, mode: 'id', value: '={{ "Site Hazards" }}' } }, credentials);
			expect(channel.error?.message).toBe('Channel "Site Hazards" is not a channel ID');
			const noStart = await runSaferMe(analytics('reports_per_state', 101, start, end, { startDate: '={{ "" }}' }), credentials);
			expect(noStart.error?.message).toBe('Start Date is empty');
			const zone = await runSaferMe(analytics('reports_per_state', 101, start, end, { options: { timezone: 'Mars/Olympus' } }), credentials);
			expect(zone.error?.message).toBe('Timezone "Mars/Olympus" does not exist');
			const fields = await runSaferMe(analytics('reports_read', 101, start, end, { readFields: 'total_reads,everything' }), credentials);
			expect(fields.error?.message).toBe('Fields: "everything" is not a field of Reports Read');
			const backwards = await runSaferMe(analytics('reports_per_state', 101, end, start), credentials);
			expect(backwards.error?.message).toMatch(/^End Date .* is before Start Date/);
			// None of these reached SaferMe.
			expect(sandbox.requests.slice(before).filter((r) => r.path.startsWith('/api/v4/analytics'))).toEqual([]);
		});
	});

	it('offers only Category, DropDown and Radio fields in the field picker', async () => {
		const { loadOptionsContext, singleNodeWorkflow } = await import('../../../test/helpers/harness');
		const { getSelectionFields } = await import('../nodes/SaferMe/methods/lists');
		await withSandbox(async (sandbox) => {
			const workflow = singleNodeWorkflow('n8n-nodes-saferme.saferMe', 'SaferMe', 'saferMeApi', analytics('reports_per_field_selection', 101, start, end));
			const context = loadOptionsContext(workflow, credentialsFor(sandbox), 'SaferMe');
			const options = await getSelectionFields.call(context);
			const selectable = sandbox.data.forms.flatMap((f) => f.fields).filter((f) => ['Category', 'DropDown', 'Radio', 'RadioButton'].includes(f.field_type));
			expect(options.map((o) => o.value).sort()).toEqual(selectable.map((f) => String(f.id)).sort());
			expect(options.find((o) => o.value === '22')?.name).toBe('Hazard Report → Severity');
		});
	});
});
