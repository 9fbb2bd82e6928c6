import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { CredentialConfigError, growingIoAuthHeaders, normalizeApiToken, normalizeBaseUrl, normalizeProjectUid } from '../transport/auth';
import { keyPairSession, sendPaced, sendWithLegacyRequest, type HttpAnswer, type HttpSend, type KeyPairSession } from '../transport/keyPairLogin';
import { describeResponse } from '../transport/errorBody';
import { projectLimiterKey } from '../transport/pace';

/**
 * The Credential Test (n8n's "Test" button, via `testedBy` on both nodes). It checks the three
 * things a user can get wrong separately: the token or key pair, the Project UID (dashboards of
 * the project) and the Project ID / ai (a raw-export status query for tomorrow, which GrowingIO
 * answers without starting an export). Requests take slots from the same limiter as the nodes.
 */

const TRIES = 3;
const TIMEOUT_MS = 30000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

interface Project {
	baseUrl: string;
	projectUid: string;
	ai: string;
	keyPair: boolean;
	limiter: string;
}

/** One paced GET with retries for GrowingIO's own hiccups (429, 5xx, resets); any other answer comes back. */
async function pacedGet(send: HttpSend, project: Project, path: string, headers: Record<string, string>): Promise<HttpAnswer> {
	const result = await sendPaced(send, project.limiter, TRIES, () => ({ method: 'GET', url: `${project.baseUrl}${path}`, headers, timeoutMs: TIMEOUT_MS }));
	if ('noAnswer' in result) throw new CredentialConfigError(`Could not reach ${project.baseUrl} (${result.noAnswer}). Check the Base URL.`);
	return result.answer;
}

function said(answer: HttpAnswer): string {
	const failure = describeResponse(answer.statusCode, answer.headers, answer.body);
	const text = failure.message ?? failure.detail;
	return `HTTP ${answer.statusCode}${text ? `: ${text}` : ''}`;
}

/** Tomorrow in Beijing time as yyyyMMdd: a day GrowingIO has not exported yet. */
function tomorrowInBeijing(now = Date.now()): string {
	return new Date(now + BEIJING_OFFSET_MS + DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
}

async function checkProject(send: HttpSend, credentials: ICredentialDataDecryptedObject, project: Project): Promise<string> {
	let session: KeyPairSession | undefined = project.keyPair ? await keyPairSession(send, credentials) : undefined;
	const headers = () => growingIoAuthHeaders(credentials, session?.code);
	const dashboardsPath = `/projects/${encodeURIComponent(project.projectUid)}/dashboards.json`;

	let dashboards = await pacedGet(send, project, dashboardsPath, headers());
	if (dashboards.statusCode === 401 && session) {
		// The cached code was replaced by a login elsewhere: log in once more.
		session = await keyPairSession(send, credentials, session);
		dashboards = await pacedGet(send, project, dashboardsPath, headers());
	}
	const uid = `Project UID "${project.projectUid}"`;
	if (dashboards.statusCode === 401) {
		throw new CredentialConfigError(
			project.keyPair
				? `GrowingIO issued a key-pair code but refused it for ${uid} (${said(dashboards)}). Check the Project UID and the Public Key.`
				: `GrowingIO rejected the API Token (${said(dashboards)}). Copy the token again from 项目配置 → API Token 管理, or create a new one there; it must belong to project ${project.projectUid}.`,
		);
	}
	if (dashboards.statusCode === 403) {
		throw new CredentialConfigError(`GrowingIO accepted the credential but denies it ${uid} (${said(dashboards)}). Check the Project UID: the token may belong to another project.`);
	}
	if (dashboards.statusCode === 404) {
		throw new CredentialConfigError(`GrowingIO knows no project with ${uid} (${said(dashboards)}). Copy the ID after /projects/ in your GrowingIO address.`);
	}
	if (dashboards.statusCode < 200 || dashboards.statusCode >= 300) {
		throw new CredentialConfigError(`GrowingIO answered the dashboards of ${uid} with ${said(dashboards)}. Try again later.`);
	}

	if (!project.ai) return `Connected to project ${project.projectUid}. Project ID is empty: Raw Export needs it.`;
	const ai = `Project ID "${project.ai}"`;
	const exportStatus = await pacedGet(send, project, `/v2/insights/day/${encodeURIComponent(project.ai)}/${tomorrowInBeijing()}.json`, headers());
	if (exportStatus.statusCode === 404) {
		throw new CredentialConfigError(
			`Token and ${uid} are right, but GrowingIO knows no project with ${ai} (${said(exportStatus)}). Copy the 16- or 32-character ai from 项目配置; it is not the Project UID.`,
		);
	}
	if (exportStatus.statusCode === 401 || exportStatus.statusCode === 403) {
		throw new CredentialConfigError(
			`Token and ${uid} are right, but GrowingIO refuses raw data export for ${ai} (${said(exportStatus)}). Check the Project ID, and that raw data export (原始数据导出) is enabled for the project.`,
		);
	}
	if (exportStatus.statusCode < 200 || exportStatus.statusCode >= 300) {
		throw new CredentialConfigError(`Token and ${uid} are right, but GrowingIO answered the raw-export check of ${ai} with ${said(exportStatus)}.`);
	}
	return `Connected to project ${project.projectUid} (ai ${project.ai}).`;
}

export async function growingIoApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const credentials = credential.data ?? {};
	try {
		const keyPair = credentials.authentication === 'keyPair';
		const baseUrl = normalizeBaseUrl(credentials.baseUrl);
		const projectUid = normalizeProjectUid(credentials.projectUid);
		if (!keyPair) normalizeApiToken(credentials.apiToken);
		const project: Project = { baseUrl, projectUid, ai: String(credentials.projectId ?? '').trim(), keyPair, limiter: projectLimiterKey(baseUrl, projectUid) };
		return { status: 'OK', message: await checkProject(sendWithLegacyRequest(this.helpers.request), credentials, project) };
	} catch (error) {
		// Our own messages name fields and fixes only; anything else may carry request details.
		if (error instanceof CredentialConfigError) return { status: 'Error', message: error.message };
		return { status: 'Error', message: 'The GrowingIO credential test failed unexpectedly. Check the Base URL and try again.' };
	}
}
