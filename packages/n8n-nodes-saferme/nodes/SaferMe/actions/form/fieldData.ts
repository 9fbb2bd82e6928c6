import type { IDataObject } from 'n8n-workflow';

/** SaferMe sends each field's `data` (its options) as a JSON string; workflows want the object. */
export function withParsedFieldData(form: IDataObject): IDataObject {
	if (!Array.isArray(form.fields)) return form;
	return {
		...form,
		fields: (form.fields as IDataObject[]).map((field) => {
			if (typeof field.data !== 'string') return field;
			try {
				return { ...field, data: JSON.parse(field.data) as IDataObject };
			} catch {
				return field;
			}
		}),
	};
}

/** The field types SaferMe's per-field analytics accept (its reports docs call Radio RadioButton). */
export const SELECTION_FIELD_TYPES = ['Category', 'DropDown', 'Radio', 'RadioButton'];
