import { Container } from '@n8n/di';
import { PollContext } from 'n8n-core';
import { TriggersAndPollers } from 'n8n-core/dist/execution-engine/triggers-and-pollers';
import { Workflow, type ICredentialDataDecryptedObject, type IDataObject, type INodeExecutionData, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { OpenPanelApi } from '../../credentials/OpenPanelApi.credentials';
import { OpenPanelTrigger } from '../../nodes/OpenPanelTrigger/OpenPanelTrigger.node';
import { releaseTimers, TestCredentialsHelper, TestNodeTypes } from '../../../../test/helpers/harness';

export const TRIGGER = 'OpenPanel Trigger';
const nodeTypes = new TestNodeTypes({ 'n8n-nodes-openpanel.openPanelTrigger': new OpenPanelTrigger() });

/**
 * The OpenPanel Trigger in an active workflow, as n8n runs it: one Workflow across polls, each
 * poll through n8n-core's PollContext and TriggersAndPollers.runPoll, and static data saved only
 * after a poll that emitted and changed it; `restart()` loads the workflow from what was saved.
 */
export class ActiveOpenPanelTrigger {
	saved: IDataObject = {};
	private workflow!: Workflow;
	private readonly credentialsHelper: TestCredentialsHelper;

	constructor(
		private readonly parameters: IDataObject,
		credential: ICredentialDataDecryptedObject,
	) {
		this.credentialsHelper = new TestCredentialsHelper({ openPanelApi: new OpenPanelApi() }, { openPanelApi: credential });
		this.restart();
	}

	restart(): void {
		this.workflow = new Workflow({
			id: 'wf-openpanel-trigger',
			name: 'OpenPanel trigger test',
			nodes: [
				{
					id: 't1',
					name: TRIGGER,
					type: 'n8n-nodes-openpanel.openPanelTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: this.parameters as never,
					credentials: { openPanelApi: { id: 'cred-1', name: 'OpenPanel' } },
				},
			],
			connections: {},
			nodeTypes,
			active: true,
			staticData: JSON.parse(JSON.stringify(this.saved)) as IDataObject,
		});
	}

	async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<INodeExecutionData[] | null> {
		const node = this.workflow.getNode(TRIGGER)!;
		const additionalData = { credentialsHelper: this.credentialsHelper, variables: {}, restApiUrl: 'http://127.0.0.1:5678/rest', instanceBaseUrl: 'http://127.0.0.1:5678/' } as unknown as IWorkflowExecuteAdditionalData;
		const context = new PollContext(this.workflow, node, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
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
