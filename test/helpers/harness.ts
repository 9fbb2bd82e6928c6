/**
 * Runs workflows through n8n's own execution engine (n8n-core WorkflowExecute) in this process,
 * with the real request helpers, so every GrowingIO call goes over HTTP to the sandbox.
 * The credentials helper also does what n8n's
 * CredentialsHelper does for `preAuthentication` (fill the expirable field, store it, log in
 * again once on a 401), which n8n's own test helper leaves out.
 */
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WorkflowExecute } from 'n8n-core';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { GrowingIoApi } from '../../credentials/GrowingIoApi.credentials';
import { GrowingIo } from '../../nodes/GrowingIo/GrowingIo.node';
import { GrowingIoTrigger } from '../../nodes/GrowingIoTrigger/GrowingIoTrigger.node';
import { OpenPanel } from '../../packages/n8n-nodes-openpanel/nodes/OpenPanel/OpenPanel.node';
import { SaferMe } from '../../packages/n8n-nodes-saferme/nodes/SaferMe/SaferMe.node';
import { HttpRequestStandIn } from './httpRequestStandIn';

/**
 * What n8n's CredentialsHelper does with a generic `authenticate`: resolve its templates against
 * the credential and merge them into the request. Only `{{$credentials.<field>}}` placeholders in
 * headers and qs are supported; anything else fails loudly instead of sending a wrong request.
 */
function withGenericAuthentication(auth: IAuthenticateGeneric, credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) {
	const resolve = (template: unknown): string => {
		const text = String(template);
		if (!text.startsWith('=')) return text;
		const resolved = text.slice(1).replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_match, name: string) => String(credentials[name] ?? ''));
		if (resolved.includes('{{')) throw new Error(`test harness: unsupported credential template ${text}`);
		return resolved;
	};
	const { headers = {}, qs = {}, ...others } = auth.properties;
	if (Object.keys(others).length) throw new Error(`test harness: generic authenticate with ${Object.keys(others).join(', ')} is not supported`);
	const resolveAll = (values: object) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, resolve(value)]));
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, ...resolveAll(headers) },
		qs: { ...requestOptions.qs, ...resolveAll(qs) },
	};
}

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(type: string) {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

/** Stores credentials like n8n's database does: decrypted copies out, updates written back. */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** preAuthentication calls that returned a new value (i.e. logins for the key pair). */
	preAuthenticationRuns = 0;

	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions) {
		const auth = this.credentialTypes[typeName]?.authenticate;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		if (auth?.type === 'generic') return withGenericAuthentication(auth, credentials, requestOptions);
		return requestOptions;
	}

	/** Same rules as n8n's CredentialsHelper.preAuthentication (packages/cli/src/credentials-helper.ts). */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialTypes[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.preAuthenticationRuns++;
		if (node.credentials) {
			await this.updateCredentials(node.credentials[typeName], typeName, Object.assign(credentials, output));
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_additionalData: IWorkflowExecuteAdditionalData, _nodeCredentials: INodeCredentialsDetails, type: string) {
		return { ...(this.store[type] ?? {}) };
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return this.credentialTypes[type]?.properties ?? [];
	}

	stored(type: string): ICredentialDataDecryptedObject {
		return this.store[type];
	}
}

/** Stands in for n8n-nodes-base's Manual Trigger: passes the start input on. */
class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Manual' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async trigger() {
		return {};
	}
}

export const nodeTypes = new TestNodeTypes({
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	'n8n-nodes-growingio.growingIo': new GrowingIo(),
	'n8n-nodes-growingio.growingIoTrigger': new GrowingIoTrigger(),
	'n8n-nodes-openpanel.openPanel': new OpenPanel(),
	'n8n-nodes-saferme.saferMe': new SaferMe(),
	'test.httpRequestStandIn': new HttpRequestStandIn(),
});

/** n8n-core 2.8 starts a 60 s interval that would keep jest alive; later versions unref it. */
export function releaseTimers() {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');
		(Container.get(SSHClientsManager) as { cleanupTimer?: NodeJS.Timeout }).cleanupTimer?.unref?.();
	} catch {
		/* not present in this version */
	}
}

function additionalDataFor(credentialsHelper: ICredentialsHelper, hooks?: ExecutionLifecycleHooks): IWorkflowExecuteAdditionalData {
	return {
		hooks,
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not supported in tests');
		},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeParameters: undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function workflowOf(base: IWorkflowBase, staticData: IDataObject = {}): Workflow {
	const { id, name, nodes, connections, settings } = base;
	return new Workflow({ id, name, nodes, connections, settings, nodeTypes, active: false, staticData });
}

interface RunOptions {
	workflow: IWorkflowBase;
	credentialsHelper: ICredentialsHelper;
	input?: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
}

/**
 * Starts a workflow. `stop()` is the editor's Stop execution: it cancels n8n's PCancelable,
 * which aborts the execution's cancel signal. `done` settles only when the engine has returned,
 * i.e. when the running node has actually ended (n8n reports a cancelled run before that).
 */
export function startWorkflow(opts: RunOptions): { stop: () => void; done: Promise<IRun> } {
	const mode = opts.mode ?? 'cli';
	const workflow = workflowOf(opts.workflow);
	const hooks = new ExecutionLifecycleHooks(mode, '1', opts.workflow);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: workflow.getStartNode()!, data: { main: [opts.input ?? [{ json: {} }]] }, source: null }],
		},
	});
	const execution = new WorkflowExecute(additionalDataFor(opts.credentialsHelper, hooks), mode, runExecutionData).processRunExecutionData(workflow);
	const done = (async () => {
		await execution;
		releaseTimers();
		return await finished;
	})();
	return { stop: () => execution.cancel(), done };
}

export async function runWorkflow(opts: RunOptions): Promise<IRun> {
	return await startWorkflow(opts).done;
}

/**
 * The context n8n gives a node's `methods` (list searches, option lists) while the user edits it;
 * `currentNodeParameters` are the values in the editor, as n8n sends them with the request.
 */
export function loadOptionsContext(workflowBase: IWorkflowBase, credentialsHelper: ICredentialsHelper, nodeName = GROWINGIO_NODE, currentNodeParameters?: IDataObject) {
	const workflow = workflowOf(workflowBase);
	const additionalData = { ...additionalDataFor(credentialsHelper), currentNodeParameters: currentNodeParameters as INodeParameters | undefined };
	const context = new LoadOptionsContext(workflow, workflow.getNode(nodeName)!, additionalData, 'parameters');
	releaseTimers(); // the context's constructor starts n8n-core's SSH client timer too
	return context;
}

export const GROWINGIO_NODE = 'GrowingIO';

/** Manual trigger → one GrowingIO node with the given parameters. */
export function growingIoWorkflow(parameters: IDataObject, node: Partial<INode> = {}): IWorkflowBase {
	return {
		id: 'wf-test',
		name: 'GrowingIO test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { timezone: 'Asia/Shanghai' },
		nodes: [
			{ id: 'n1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: GROWINGIO_NODE,
				type: 'n8n-nodes-growingio.growingIo',
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: { growingIoApi: { id: 'cred-1', name: 'GrowingIO sandbox' } },
				...node,
			},
		],
		connections: { Manual: { main: [[{ node: GROWINGIO_NODE, type: 'main', index: 0 }]] } },
	} as unknown as IWorkflowBase;
}

/** Manual trigger → one node of `type` named `name`, using the credential of type `credentialType`. */
export function singleNodeWorkflow(type: string, name: string, credentialType: string, parameters: IDataObject, node: Partial<INode> = {}): IWorkflowBase {
	return {
		id: 'wf-test',
		name: `${name} test`,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
		nodes: [
			{ id: 'n1', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'n2', name, type, typeVersion: 1, position: [200, 0], parameters, credentials: { [credentialType]: { id: 'cred-1', name: `${name} test` } }, ...node },
		],
		connections: { Manual: { main: [[{ node: name, type: 'main', index: 0 }]] } },
	} as unknown as IWorkflowBase;
}

export function credentialsFor(data: ICredentialDataDecryptedObject): TestCredentialsHelper {
	return new TestCredentialsHelper({ growingIoApi: new GrowingIoApi() }, { growingIoApi: { sessionToken: '', ...data } });
}

/** The GrowingIO node's output items, or the error it stopped with. */
export function nodeResult(run: IRun, nodeName = GROWINGIO_NODE) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		json: (task?.data?.main?.[0] ?? []).map((item) => item.json),
		error: task?.error,
	};
}

/** Manual → GrowingIO with `parameters`, one input item per object in `input`; the node's result. */
export async function runGrowingIoNode(
	parameters: IDataObject,
	options: { credentials: ICredentialDataDecryptedObject; input?: IDataObject[]; continueOnFail?: boolean },
) {
	const result = await runWorkflow({
		workflow: growingIoWorkflow(parameters, options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
		credentialsHelper: credentialsFor(options.credentials),
		input: (options.input ?? [{}]).map((json) => ({ json })),
	});
	return { run: result, ...nodeResult(result) };
}

export const TRIGGER_NODE = 'GrowingIO Trigger';

/** A workflow with just the GrowingIO Trigger (what a poll needs). */
export function triggerWorkflow(parameters: IDataObject): IWorkflowBase {
	return {
		id: 'wf-trigger',
		name: 'GrowingIO trigger test',
		active: true,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: { timezone: 'Asia/Shanghai' },
		nodes: [
			{
				id: 't1',
				name: TRIGGER_NODE,
				type: 'n8n-nodes-growingio.growingIoTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { growingIoApi: { id: 'cred-1', name: 'GrowingIO sandbox' } },
			},
		],
		connections: {},
	} as unknown as IWorkflowBase;
}

/**
 * The trigger in an active workflow, as n8n runs it: one Workflow object (with its observable
 * static data) across polls, each poll through n8n-core's PollContext and
 * TriggersAndPollers.runPoll, and the static data saved the way n8n's WorkflowStaticDataService
 * does — only after a poll that emitted, and only if n8n noticed a change (`__dataChanged`).
 * `restart()` loads the workflow again from what was saved, like n8n after a restart.
 */
export class ActiveTrigger {
	/** The static data as n8n's database holds it. */
	saved: IDataObject = {};
	private workflow!: Workflow;

	constructor(
		private readonly parameters: IDataObject,
		private readonly credentialsHelper: ICredentialsHelper,
	) {
		this.restart();
	}

	restart(): void {
		this.workflow = workflowOf(triggerWorkflow(this.parameters), JSON.parse(JSON.stringify(this.saved)) as IDataObject);
	}

	/** The static data as the running workflow holds it now (saved or not). */
	live(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	/** One poll; `manual` is Fetch Test Event (nothing is saved then, as in n8n). */
	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[] | null> {
		const node = this.workflow.getNode(TRIGGER_NODE)!;
		const context = new PollContext(this.workflow, node, additionalDataFor(this.credentialsHelper), mode, mode === 'manual' ? 'manual' : 'activate');
		releaseTimers();
		const result = await Container.get(TriggersAndPollers).runPoll(this.workflow, node, context);
		const staticData = this.workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (result && mode === 'trigger' && staticData.__dataChanged === true) {
			this.saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			staticData.__dataChanged = false;
		}
		return result ? result[0] : null;
	}
}

/** One poll with throwaway static data (e.g. Fetch Test Event on a fresh workflow). */
export async function pollTrigger(opts: { parameters: IDataObject; credentialsHelper: ICredentialsHelper; mode?: 'trigger' | 'manual' }) {
	return await new ActiveTrigger(opts.parameters, opts.credentialsHelper).poll(opts.mode);
}
