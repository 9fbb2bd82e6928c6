import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { openPanelRequest } from '../transport';

interface ManagedProject {
	id?: unknown;
	name?: unknown;
}

/**
 * The organization's projects for the Project picker, from /manage/projects (root clients only;
 * a read client's project is fixed, and OpenPanel's refusal is explained by the transport).
 */
export async function searchProjects(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const answer = (await openPanelRequest(this, { path: '/manage/projects', api: 'manage', subject: "the organization's projects" })) as { data?: ManagedProject[] };
	const wanted = (filter ?? '').trim().toLowerCase();
	const results = (Array.isArray(answer?.data) ? answer.data : [])
		.map((project) => ({ id: String(project.id ?? ''), name: String(project.name ?? project.id ?? '') }))
		.filter((project) => project.id && (!wanted || project.name.toLowerCase().includes(wanted) || project.id.toLowerCase().includes(wanted)))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((project) => ({ name: project.name === project.id ? project.id : `${project.name} (${project.id})`, value: project.id }));
	return { results };
}
