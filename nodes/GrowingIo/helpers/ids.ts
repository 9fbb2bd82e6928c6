import { NodeOperationError, type IExecuteFunctions, type INodeParameterResourceLocator } from 'n8n-workflow';

import { getProjectSettings, type GrowingIoContext } from '../transport';

/**
 * GrowingIO users copy IDs from URLs such as
 * https://www.growingio.com/projects/nxog09md/dashboard/YoX28w7R (also under /admin/).
 */

export type GrowingIoResourceKind = 'dashboard' | 'chart' | 'funnel' | 'retention' | 'segment';

/** URL path words GrowingIO's UI uses in front of each kind of ID. */
const URL_WORDS: Record<GrowingIoResourceKind, string[]> = {
	dashboard: ['dashboard', 'dashboards'],
	chart: ['chart', 'charts', 'eventanalysis', 'event-analysis'],
	funnel: ['funnel', 'funnels', 'funnelanalysis', 'funnel-analysis'],
	retention: ['retention', 'retentions', 'retentionanalysis', 'retention-analysis'],
	segment: ['segment', 'segments', 'segmentation', 'segmentations'],
};

/** Each kind as the node's messages name it, with GrowingIO's Chinese term users know it by. */
export const RESOURCE_LABELS: Record<GrowingIoResourceKind, string> = {
	dashboard: 'dashboard (看板)',
	chart: 'chart (单图)',
	funnel: 'funnel (漏斗)',
	retention: 'retention (留存)',
	segment: 'segment (分群)',
};

/** GrowingIO IDs are short alphanumerics (8 characters in every URL we have seen). */
export const ID_PATTERN = /^[A-Za-z0-9]{4,32}$/;

export interface ParsedGrowingIoUrl {
	projectUid?: string;
	kind?: GrowingIoResourceKind;
	id?: string;
}

export function parseGrowingIoUrl(text: string): ParsedGrowingIoUrl | undefined {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return undefined;
	}
	const parts = url.pathname.split('/').filter(Boolean);
	const result: ParsedGrowingIoUrl = {};
	const projectAt = parts.indexOf('projects');
	if (projectAt >= 0 && parts[projectAt + 1]) result.projectUid = parts[projectAt + 1];
	for (let i = parts.length - 2; i >= 0; i--) {
		const word = parts[i].toLowerCase();
		const kind = (Object.keys(URL_WORDS) as GrowingIoResourceKind[]).find((k) => URL_WORDS[k].includes(word));
		if (kind && ID_PATTERN.test(parts[i + 1])) {
			result.kind = kind;
			result.id = parts[i + 1].replace(/\.json$/, '');
			break;
		}
	}
	return result;
}

/**
 * Reads a resource locator (From List / By URL / By ID) and returns a validated ID.
 * Errors name the parameter and say how to fix it; a URL from another project is refused
 * because its ID would silently miss (or hit something else) in the credential's project.
 */
export async function getResourceId(
	this: IExecuteFunctions,
	parameterName: string,
	displayName: string,
	kind: GrowingIoResourceKind,
	itemIndex: number,
): Promise<string> {
	const locator = this.getNodeParameter(parameterName, itemIndex) as INodeParameterResourceLocator | string;
	return await resolveResourceId.call(this, locator, displayName, kind, itemIndex);
}

/** getResourceId for a locator value already read (the trigger reads its parameters without items). */
export async function resolveResourceId(
	this: GrowingIoContext,
	locator: INodeParameterResourceLocator | string | undefined,
	displayName: string,
	kind: GrowingIoResourceKind,
	itemIndex?: number,
): Promise<string> {
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw new NodeOperationError(this.getNode(), `${displayName} must be text, but it is ${raw === null ? 'empty' : typeof raw}`, {
			itemIndex,
			description: `If ${displayName} is an expression, make it return the ID as a string, e.g. {{ $json.id }}.`,
		});
	}
	const text = String(raw).trim();
	if (!text) {
		throw new NodeOperationError(this.getNode(), `${displayName} is empty`, {
			itemIndex,
			description: `Choose a ${RESOURCE_LABELS[kind]} from the list, paste its URL, or enter its ID.`,
		});
	}
	if (ID_PATTERN.test(text)) return text;

	const parsed = parseGrowingIoUrl(text);
	if (!parsed) {
		throw new NodeOperationError(this.getNode(), `${displayName} "${text}" is not a GrowingIO ${RESOURCE_LABELS[kind]} ID or URL`, {
			itemIndex,
			description: `Enter the short ID (e.g. YoX28w7R) or paste the ${kind} URL from GrowingIO, e.g. https://www.growingio.com/projects/nxog09md/${kind}/YoX28w7R.`,
		});
	}
	if (!parsed.id || parsed.kind !== kind) {
		throw new NodeOperationError(
			this.getNode(),
			`${displayName}: the URL "${text}" is not a link to a ${RESOURCE_LABELS[kind]}${parsed.kind ? ` (it links to a ${RESOURCE_LABELS[parsed.kind]})` : ''}`,
			{ itemIndex, description: `Open the ${kind} in GrowingIO and copy the URL from the address bar, or enter its ID.` },
		);
	}
	if (parsed.projectUid) {
		const { projectUid } = await getProjectSettings.call(this, itemIndex);
		if (parsed.projectUid !== projectUid) {
			throw new NodeOperationError(
				this.getNode(),
				`${displayName}: the URL belongs to project "${parsed.projectUid}", but the GrowingIO credential is for project "${projectUid}"`,
				{ itemIndex, description: 'Use a credential for that project, or a URL from the credential\'s project.' },
			);
		}
	}
	return parsed.id;
}
