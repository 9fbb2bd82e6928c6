import { Info } from 'luxon';
import { Workflow, type INode, type INodeProperties, type INodePropertyCollection, type INodePropertyOptions } from 'n8n-workflow';

import { GrowingIoApi } from '../../credentials/GrowingIoApi.credentials';
import { GrowingIo } from '../../nodes/GrowingIo/GrowingIo.node';
import { GrowingIoTrigger } from '../../nodes/GrowingIoTrigger/GrowingIoTrigger.node';
import nodeCodex from '../../nodes/GrowingIo/GrowingIo.node.json';
import triggerCodex from '../../nodes/GrowingIoTrigger/GrowingIoTrigger.node.json';
import { nodeTypes } from '../helpers/harness';

/**
 * The editor's view of the nodes and the credential, checked over every field they define: what
 * n8n's verification asks (English names), what a new user reads (units, "Whether" only for
 * booleans, subtitles), and the Timezone fields, which must be lists of valid zones.
 */

const node = new GrowingIo().description;
const trigger = new GrowingIoTrigger().description;
const credential = new GrowingIoApi();

interface Field {
	/** Where the field sits, e.g. `GrowingIO › options › Timeout (Milliseconds)`. */
	path: string;
	field: INodeProperties;
	/** The `show` of the top-level field it belongs to (resource/operation or event). */
	show: Record<string, unknown>;
}

/** Every field, nested ones (collections, fixed collections) included. */
function fieldsOf(owner: string, properties: INodeProperties[], parentShow: Record<string, unknown> = {}, path = owner): Field[] {
	return properties.flatMap((field) => {
		const show = { ...parentShow, ...(path === owner ? field.displayOptions?.show ?? {} : {}) };
		const here = `${path} › ${field.displayName}`;
		const nested = (field.options ?? []).flatMap((option) => {
			if ('displayName' in option && 'type' in option) return fieldsOf(owner, [option as INodeProperties], show, here);
			if ('values' in option) return fieldsOf(owner, (option as INodePropertyCollection).values, show, `${here} › ${(option as INodePropertyCollection).displayName}`);
			return [];
		});
		return [{ path: here, field, show }, ...nested];
	});
}

const FIELDS = [...fieldsOf('GrowingIO', node.properties), ...fieldsOf('GrowingIO Trigger', trigger.properties), ...fieldsOf('GrowingIO credential', credential.properties)];

/** Every name a user reads in a list: field display names, option names, locator mode names. */
function shownNames(): Array<[string, string]> {
	const names: Array<[string, string]> = [
		['node', node.displayName],
		['trigger', trigger.displayName],
		['credential', credential.displayName],
	];
	for (const { path, field } of FIELDS) {
		names.push([path, field.displayName]);
		for (const option of field.options ?? []) {
			if ('value' in option) names.push([`${path} › option`, (option as INodePropertyOptions).name]);
			if ('values' in option) names.push([`${path} › section`, (option as INodePropertyCollection).displayName]);
		}
		for (const mode of field.modes ?? []) names.push([`${path} › mode`, mode.displayName]);
	}
	return names;
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

describe('names are English (n8n verification), Chinese only in descriptions and hints', () => {
	it('has no CJK character in any display name or option name of both nodes and the credential', () => {
		const names = shownNames();
		expect(names.length).toBeGreaterThan(150);
		expect(names.filter(([, name]) => CJK.test(name))).toEqual([]);
	});

	it('names the resources and the raw-export data types in English', () => {
		const resource = node.properties.find((field) => field.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((option) => option.name)).toEqual(['Chart', 'Dashboard', 'Funnel', 'Raw Export', 'Retention', 'Rule', 'Segment']);
		const dataTypes = FIELDS.find(({ field }) => field.name === 'dataTypes')!.field;
		expect((dataTypes.options as INodePropertyOptions[]).map((option) => option.name)).toContain('Custom Event');
	});
});

describe('numbers with a unit say it in their name', () => {
	const UNITS: Array<[RegExp, string]> = [
		[/Ms$/, '(Milliseconds)'],
		[/Seconds$/, '(Seconds)'],
		[/Minutes$/, '(Minutes)'],
		[/Hours?$/, '(Hour'],
		[/Percent$/, '(%)'],
		[/^conversionWindow$/, '(Days)'],
	];
	const numbers = FIELDS.filter(({ field }) => field.type === 'number');

	it.each(UNITS.map(([pattern, unit]) => [String(pattern), unit, pattern]))('fields named %s have %s in their display name', (_name, unit, pattern) => {
		const matching = numbers.filter(({ field }) => (pattern as RegExp).test(field.name));
		expect(matching.length).toBeGreaterThan(0);
		expect(matching.filter(({ field }) => !field.displayName.includes(unit as string)).map(({ path }) => path)).toEqual([]);
	});

	it('calls the request timeout Timeout (Milliseconds) and every Max Wait Max Wait (Seconds)', () => {
		const names = (name: string) => [...new Set(FIELDS.filter(({ field }) => field.name === name).map(({ field }) => field.displayName))];
		expect(names('timeoutMs')).toEqual(['Timeout (Milliseconds)']);
		expect(names('maxWaitSeconds')).toEqual(['Max Wait (Seconds)']);
	});

	it('shows Requests per Second as typed (2, 0.5), not with fixed decimals ("2.00")', () => {
		const fields = FIELDS.filter(({ field }) => field.name === 'requestsPerSecond');
		expect(fields.length).toBeGreaterThan(5);
		for (const { field } of fields) {
			expect(field.typeOptions?.numberPrecision).toBeUndefined();
			expect(field.typeOptions?.minValue).toBeLessThan(1);
			expect(field.default).toBe(2);
		}
	});
});

describe('time range presets', () => {
	const presets = FIELDS.filter(({ field }) => field.name === 'timeRange');

	it('are listed alphabetically by name, as n8n\'s linter requires (verification ignores inline disables)', () => {
		expect(presets.length).toBe(5); // four report operations and Metric Threshold's Time Window
		for (const { field } of presets) {
			const names = (field.options as INodePropertyOptions[]).map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
	});

	it('keep their defaults: Last 7 Days for the operations, Yesterday for Time Window', () => {
		expect(presets.map(({ field }) => field.default).sort()).toEqual(['last7Days', 'last7Days', 'last7Days', 'last7Days', 'yesterday']);
	});
});

describe('descriptions', () => {
	it('start with "Whether" for booleans and only for booleans', () => {
		const described = FIELDS.filter(({ field }) => field.description);
		expect(described.filter(({ field }) => field.type === 'boolean' && !field.description!.startsWith('Whether')).map(({ path }) => path)).toEqual([]);
		expect(described.filter(({ field }) => field.type !== 'boolean' && field.description!.startsWith('Whether')).map(({ path }) => path)).toEqual([]);
	});
});

describe('Timezone fields are lists of IANA zones', () => {
	const timezones = FIELDS.filter(({ field }) => field.name === 'timezone');

	it('is an options list with Asia/Shanghai as default in every operation and trigger event that has one', () => {
		expect(timezones.map(({ path }) => path)).toEqual([
			'GrowingIO › Options › Timezone', // Chart → Get Data
			'GrowingIO › Options › Timezone', // Dashboard → Get Data
			'GrowingIO › Options › Timezone', // Funnel → Get Data
			'GrowingIO › Options › Timezone', // Raw Export → Get Rows
			'GrowingIO › Options › Timezone', // Retention → Get Data
			'GrowingIO Trigger › Timezone', // Metric Threshold
			'GrowingIO Trigger › Timezone', // Dashboard Digest Ready
		]);
		expect(timezones.map(({ show }) => [show.resource ?? show.event, show.operation ?? []].flat().join(' ')).sort()).toEqual(
			['chart getData', 'dashboard getData', 'funnel getData', 'rawExport getRows', 'retention getData', 'metricThreshold', 'dashboardDigest'].sort(),
		);
		for (const { field } of timezones) {
			expect(field.type).toBe('options');
			expect(field.default).toBe('Asia/Shanghai');
			expect(field.noDataExpression).toBeFalsy();
		}
	});

	it('offers only zones that exist, each once, sorted, with the names saved before it was a list', () => {
		const [{ field }] = timezones;
		const values = (field.options as INodePropertyOptions[]).map((option) => String(option.value));
		expect(values.length).toBeGreaterThan(400);
		expect(values.filter((zone) => !Info.isValidIANAZone(zone))).toEqual([]);
		expect(new Set(values).size).toBe(values.length);
		expect([...values].sort()).toEqual(values);
		for (const zone of ['Asia/Shanghai', 'UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Calcutta', 'Europe/Kyiv']) expect(values).toContain(zone);
		// One shared definition, not copies.
		for (const other of timezones) expect(other.field.options).toBe(field.options);
	});
});

describe('Raw Export options', () => {
	const optionNames = (operation: string) =>
		FIELDS.filter(({ path, show }) => path === 'GrowingIO › Options' && (show.resource as string[])?.includes('rawExport') && (show.operation as string[])?.includes(operation)).flatMap(({ field }) =>
			(field.options as INodeProperties[]).map((option) => option.displayName),
		);

	it('offers Link Lifetime only where links are handed on (Get Download Links)', () => {
		expect(optionNames('getDownloadLinks')).toContain('Link Lifetime (Minutes)');
		expect(optionNames('download')).not.toContain('Link Lifetime (Minutes)');
		expect(optionNames('getRows')).not.toContain('Link Lifetime (Minutes)');
		expect(optionNames('getRows')).toEqual(expect.arrayContaining(['Time Format', 'Timezone']));
	});
});

describe('the subtitle under the node reads like the lists', () => {
	const resources = (node.properties.find((field) => field.name === 'resource')!.options as INodePropertyOptions[]).map((option) => ({ value: String(option.value), name: option.name }));
	const pairs = resources.flatMap((resource) => {
		const operation = node.properties.find((field) => field.name === 'operation' && (field.displayOptions?.show?.resource as string[]).includes(resource.value))!;
		return (operation.options as INodePropertyOptions[]).map((option) => [resource.value, String(option.value), `${option.name}: ${resource.name}`]);
	});

	/** The subtitle as n8n's editor computes it: the expression evaluated on the node's parameters. */
	function subtitle(description: typeof node, type: string, parameters: INode['parameters']): unknown {
		const instance: INode = { id: '1', name: 'GrowingIO', type, typeVersion: 1, position: [0, 0], parameters };
		const workflow = new Workflow({ nodes: [instance], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(instance, description.subtitle, 'internal', {});
	}

	it.each(pairs)('%s / %s → "%s"', (resource, operation, expected) => {
		expect(subtitle(node, 'n8n-nodes-growingio.growingIo', { resource, operation })).toBe(expected);
	});

	it('covers every operation (12) and names the trigger\'s event', () => {
		expect(pairs).toHaveLength(12);
		expect(subtitle(trigger, 'n8n-nodes-growingio.growingIoTrigger', { event: 'metricThreshold' })).toBe('Metric Threshold');
	});
});

describe('documentation links', () => {
	it('have no #fragment, which n8n\'s appended ?utm_… query would break', () => {
		const urls = [nodeCodex, triggerCodex].flatMap((codex) => Object.values(codex.resources).flat().map((resource) => resource.url));
		urls.push(credential.documentationUrl);
		expect(urls).toHaveLength(5);
		for (const url of urls) {
			expect(url).toMatch(/^https:\/\//);
			expect(url).not.toContain('#');
		}
	});
});
