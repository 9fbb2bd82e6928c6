import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { SELECTION_FIELD_TYPES, withParsedFieldData } from '../actions/form/fieldData';
import { credentialTeamId, saferMeList } from '../transport';

/** Channel → From List: the team's channels, filtered by name. */
export async function searchChannels(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const channels = await saferMeList(this, { path: '/api/v4/channels', subject: 'the channels' });
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results: channels
			.filter((c) => !wanted || String(c.name).toLowerCase().includes(wanted) || String(c.id) === wanted)
			.map((c) => ({ name: String(c.name), value: String(c.id) })),
	};
}

/**
 * Field: the Category, DropDown and Radio fields of the team's forms. SaferMe does not say which
 * form a channel's reports use, so every form of the team is offered, named "Form → Field".
 */
export async function getSelectionFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const teamId = await credentialTeamId(this);
	const forms = (await saferMeList(this, { path: '/api/v4/forms', qs: { team_id: teamId }, subject: 'the forms' })).map(withParsedFieldData);
	return forms.flatMap((form) =>
		((form.fields as IDataObject[] | undefined) ?? [])
			.filter((field) => SELECTION_FIELD_TYPES.includes(String(field.field_type)))
			.map((field) => ({ name: `${String(form.name)} → ${String(field.label)}`, value: String(field.id), description: `${String(field.field_type)} field ${String(field.id)}` })),
	);
}
