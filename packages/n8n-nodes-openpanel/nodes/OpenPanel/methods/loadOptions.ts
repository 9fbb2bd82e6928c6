import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { insightsProjectSegment } from '../helpers/parameters';
import { getOpenPanelSettings, openPanelRequest } from '../transport';

/** The project's event names (OpenPanel lists at most 50 and caches them about 10 minutes). */
export async function getEventNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fromNode = String(this.getCurrentNodeParameter('projectId') ?? '').trim();
	const projectId = fromNode || (await getOpenPanelSettings(this)).projectId;
	const names = await openPanelRequest(this, { path: `/insights/${insightsProjectSegment(projectId)}/events/names`, subject: 'the event names' });
	if (!Array.isArray(names)) return [];
	return names.map((name) => String(name)).sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
}
