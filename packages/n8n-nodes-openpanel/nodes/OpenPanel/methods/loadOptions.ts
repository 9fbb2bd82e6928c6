import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { insightsProjectSegment, projectIdOrDefault } from '../helpers/parameters';
import { openPanelRequest } from '../transport';

/** The project's event names (OpenPanel lists at most 50 and caches them about 10 minutes). */
export async function getEventNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const projectId = await projectIdOrDefault(this, this.getCurrentNodeParameter('projectId'));
	const names = await openPanelRequest(this, { path: `/insights/${insightsProjectSegment(projectId)}/events/names`, subject: 'the event names' });
	if (!Array.isArray(names)) return [];
	return names.map((name) => String(name)).sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
}
