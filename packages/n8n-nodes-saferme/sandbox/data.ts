/**
 * The SaferMe imitation's sample data: one team with users, report states, channels, two forms
 * with fields of every type, and some hundred reports over the two months before `now`, each
 * with its field selections, images, reads and the area alerts it raised. Seeded, so the same
 * `now` gives the same data; the analytics are computed from these records, never stored.
 */
import { intHash, unitHash } from '../../../sandbox/seededRandom';

export interface SampleUser {
	id: number;
	first_name: string;
	last_name: string;
	email: string;
	password?: string;
	team_ids: number[];
}

export interface SampleTeam {
	id: number;
	name: string;
}

export interface SampleState {
	id: number;
	name: string;
	team_id: number;
}

export interface SampleChannel {
	id: number;
	uuid: string;
	name: string;
	team_id: number;
	category_id: number;
	/** Which form the channel's reports are filed with (SaferMe does not expose it on channels). */
	form_id: number;
}

export interface FieldOption {
	label: string;
	value: string;
	enabled: boolean;
	display_order: number;
	is_default: boolean;
}

export interface SampleField {
	id: number;
	label: string;
	key: string;
	field_type: string;
	form_order: number;
	mandatory: boolean;
	options: FieldOption[];
}

export interface SampleForm {
	id: number;
	uuid: string;
	name: string;
	team_id: number;
	version: number;
	updated_at: string;
	fields: SampleField[];
}

export interface SampleReport {
	id: number;
	channel_id: number;
	user_id: number;
	state_id: number;
	created_at: Date;
	/** field id → the option value chosen (selection fields only). */
	selections: Record<number, string>;
	images: Array<{ id: number; created_at: Date }>;
	/** Every time a user opened the report (the same user may read it more than once). */
	reads: Array<{ user_id: number; at: Date }>;
}

/** An area alert raised by a report and delivered to users; a delivery may be repeated. */
export interface SampleAlert {
	id: number;
	channel_id: number;
	report_id: number;
	created_at: Date;
	deliveries: Array<{ user_id: number; opened: boolean }>;
}

export interface SampleData {
	teams: SampleTeam[];
	users: SampleUser[];
	states: SampleState[];
	channels: SampleChannel[];
	forms: SampleForm[];
	reports: SampleReport[];
	alerts: SampleAlert[];
}

export const TEAM_ID = 42;
export const OTHER_TEAM_ID = 43;
export const LOGIN_EMAIL = 'ops@example.com';
export const LOGIN_PASSWORD = 'sandbox-password';
/** Every field type SaferMe's forms use; only the first three (and RadioButton) have analytics. */
export const FIELD_TYPES = ['Category', 'DropDown', 'Radio', 'RadioButton', 'CheckBox', 'DateAndTime', 'Description', 'ShortTextBox', 'Image', 'FileUpload', 'IntegerRange'];

const options = (formId: number, fieldId: number, labels: string[]): FieldOption[] =>
	labels.map((label, index) => ({ label, value: `f_${TEAM_ID}_${formId}_${fieldId}_${index + 1}`, enabled: true, display_order: index + 1, is_default: index === 0 }));

function field(formId: number, id: number, order: number, label: string, type: string, labels: string[] = []): SampleField {
	return { id, label, key: label.toLowerCase().replace(/\W+/g, '_'), field_type: type, form_order: order, mandatory: order <= 2, options: options(formId, id, labels) };
}

function hazardForm(now: Date): SampleForm {
	return {
		id: 7,
		uuid: '6c1f8a52-7d0e-4a7e-9a51-0f3c2b1d0007',
		name: 'Hazard Report',
		team_id: TEAM_ID,
		version: 3,
		updated_at: new Date(now.getTime() - 90 * 86400_000).toISOString(),
		fields: [
			field(7, 21, 1, 'Hazard Type', 'Category', ['Slip or Trip', 'Electrical', 'Chemical', 'Vehicle', 'Working at Height']),
			field(7, 22, 2, 'Severity', 'DropDown', ['Low', 'Medium', 'High', 'Critical']),
			field(7, 23, 3, 'Resolved on the Spot', 'Radio', ['Yes', 'No']),
			field(7, 24, 4, 'What Happened', 'ShortTextBox'),
			field(7, 25, 5, 'Details', 'Description'),
			field(7, 26, 6, 'Controls in Place', 'CheckBox', ['Signage', 'Barrier', 'PPE']),
			field(7, 27, 7, 'Observed At', 'DateAndTime'),
			field(7, 28, 8, 'Photo', 'Image'),
			field(7, 29, 9, 'Attachment', 'FileUpload'),
			field(7, 30, 10, 'People Exposed', 'IntegerRange'),
		],
	};
}

function incidentForm(now: Date): SampleForm {
	return {
		id: 8,
		uuid: '6c1f8a52-7d0e-4a7e-9a51-0f3c2b1d0008',
		name: 'Incident Report',
		team_id: TEAM_ID,
		version: 1,
		updated_at: new Date(now.getTime() - 60 * 86400_000).toISOString(),
		fields: [
			field(8, 31, 1, 'Injury Type', 'Category', ['None', 'First Aid', 'Medical Treatment', 'Lost Time']),
			field(8, 32, 2, 'Reported to Manager', 'RadioButton', ['Yes', 'No']),
			field(8, 33, 3, 'Summary', 'ShortTextBox'),
		],
	};
}

const DAY_MS = 86400_000;

/** The sample data as of `now`: reports from 60 days before `now` up to `now`. */
export function buildSampleData(now: Date): SampleData {
	const teams = [
		{ id: TEAM_ID, name: 'Operations' },
		{ id: OTHER_TEAM_ID, name: 'Contractors' },
	];
	const users: SampleUser[] = [
		{ id: 3, first_name: 'Aroha', last_name: 'Ngata', email: LOGIN_EMAIL, password: LOGIN_PASSWORD, team_ids: [TEAM_ID] },
		{ id: 4, first_name: 'Ben', last_name: 'Carter', email: 'ben@example.com', team_ids: [TEAM_ID] },
		{ id: 5, first_name: 'Chloe', last_name: 'Wong', email: 'chloe@example.com', team_ids: [TEAM_ID] },
		{ id: 6, first_name: 'Dmitri', last_name: 'Ivanov', email: 'dmitri@example.com', team_ids: [TEAM_ID] },
		{ id: 7, first_name: 'Emma', last_name: 'Tane', email: 'emma@example.com', team_ids: [TEAM_ID] },
		{ id: 9, first_name: 'Farid', last_name: 'Haddad', email: 'farid@example.com', team_ids: [OTHER_TEAM_ID] },
	];
	const states = ['Open', 'In Progress', 'Resolved', 'Closed'].map((name, index) => ({ id: 11 + index, name, team_id: TEAM_ID }));
	const forms = [hazardForm(now), incidentForm(now)];
	const channels: SampleChannel[] = [
		{ id: 101, uuid: 'c0a8-0101', name: 'Site Hazards', team_id: TEAM_ID, category_id: 1, form_id: 7 },
		{ id: 102, uuid: 'c0a8-0102', name: 'Warehouse Hazards', team_id: TEAM_ID, category_id: 1, form_id: 7 },
		{ id: 103, uuid: 'c0a8-0103', name: 'Incidents', team_id: TEAM_ID, category_id: 2, form_id: 8 },
		{ id: 201, uuid: 'c0a8-0201', name: 'Contractor Hazards', team_id: OTHER_TEAM_ID, category_id: 1, form_id: 7 },
	];
	const teamUsers = users.filter((user) => user.team_ids.includes(TEAM_ID));

	const reports: SampleReport[] = [];
	const alerts: SampleAlert[] = [];
	const count = 320;
	for (let index = 0; index < count; index++) {
		const id = 5000 + index;
		const channel = channels[intHash(0, 2, 'channel', index)];
		const created = new Date(now.getTime() - Math.floor(unitHash('age', index) * 60 * DAY_MS));
		const form = forms.find((f) => f.id === channel.form_id)!;
		const selections: Record<number, string> = {};
		for (const f of form.fields) {
			if (f.options.length && ['Category', 'DropDown', 'Radio', 'RadioButton'].includes(f.field_type)) {
				selections[f.id] = f.options[intHash(0, f.options.length - 1, 'option', index, f.id)].value;
			}
		}
		const images = Array.from({ length: intHash(0, 2, 'images', index) }, (_v, n) => ({ id: id * 10 + n, created_at: new Date(created.getTime() + (n + 1) * 60_000) }));
		const reads = Array.from({ length: intHash(0, 5, 'reads', index) }, (_v, n) => ({
			user_id: teamUsers[intHash(0, teamUsers.length - 1, 'reader', index, n)].id,
			at: new Date(created.getTime() + (n + 1) * 3600_000),
		}));
		reports.push({
			id,
			channel_id: channel.id,
			user_id: teamUsers[intHash(0, teamUsers.length - 1, 'author', index)].id,
			state_id: states[intHash(0, states.length - 1, 'state', index)].id,
			created_at: created,
			selections,
			images,
			reads,
		});
		if (unitHash('alert', index) < 0.25) {
			const deliveries = teamUsers
				.filter((user) => unitHash('recipient', index, user.id) < 0.6)
				.flatMap((user) => Array.from({ length: intHash(1, 2, 'delivery', index, user.id) }, (_v, n) => ({ user_id: user.id, opened: unitHash('opened', index, user.id, n) < 0.5 })));
			alerts.push({ id: 900 + alerts.length, channel_id: channel.id, report_id: id, created_at: new Date(created.getTime() + 5 * 60_000), deliveries });
		}
	}
	// Another team's reports, so that a team mix-up would show in the counts.
	for (let index = 0; index < 20; index++) {
		reports.push({
			id: 8000 + index,
			channel_id: 201,
			user_id: 9,
			state_id: 11,
			created_at: new Date(now.getTime() - Math.floor(unitHash('other', index) * 60 * DAY_MS)),
			selections: {},
			images: [],
			reads: [],
		});
	}
	reports.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
	return { teams, users, states, channels, forms, reports, alerts };
}
