/**
 * Both GrowingIO auth modes: long-lived UI API tokens, and the legacy key-pair login
 * (`POST /auth/token`) whose codes live 30 days and die when a newer code is issued.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

import type { SandboxProject } from './types';
import { MINUTE_MS } from './time';

/** GrowingIO does not document a skew window; five minutes is the usual choice. */
export const MAX_CLOCK_SKEW_MS = 5 * MINUTE_MS;

const ALPHANUMERICS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** hex HMAC-SHA256(privateKey, `POST\n/auth/token\nproject=<uid>&ai=<ai>&tm=<tm>`), as GrowingIO signs logins. */
export function signAuthToken(privateKey: string, projectUid: string, ai: string, tm: number | string): string {
	return createHmac('sha256', privateKey).update(`POST\n/auth/token\nproject=${projectUid}&ai=${ai}&tm=${tm}`).digest('hex');
}

/** Constant-time string comparison; hashing first makes unequal lengths safe to compare too. */
export function safeEqual(a: string, b: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
	return timingSafeEqual(digest(a), digest(b));
}

export function randomAlphanumeric(length: number): string {
	let text = '';
	// 62 does not divide 256; the slight bias is irrelevant for test tokens.
	for (const byte of randomBytes(length)) text += ALPHANUMERICS[byte % ALPHANUMERICS.length];
	return text;
}

export type LoginFailureCode = 'invalid_client' | 'invalid_signature' | 'stale_timestamp';

export type LoginOutcome =
	| { ok: true; code: string }
	| { ok: false; status: 400; message: string }
	| { ok: false; status: 401; failure: LoginFailureCode; message: string };

export class KeyPairSessions {
	private current?: { code: string; expiresAt: number };
	/** Every code issued, oldest first, so tests can assert on logins and on leaked secrets. */
	readonly issued: string[] = [];

	constructor(
		private readonly project: SandboxProject,
		private readonly codeTtlMs: number,
		private readonly now: () => number,
	) {}

	/** Checks a login; `fields` come from the raw body (or the query string when the body is empty). */
	login(fields: URLSearchParams, clientId: string | undefined): LoginOutcome {
		const project = fields.get('project');
		const ai = fields.get('ai');
		const tm = fields.get('tm');
		const auth = fields.get('auth');
		if (!project || !ai || !tm || !auth) {
			return { ok: false, status: 400, message: 'project, ai, tm and auth are all required' };
		}
		if (!clientId || !safeEqual(clientId, this.project.publicKey)) {
			return { ok: false, status: 401, failure: 'invalid_client', message: 'X-Client-Id is not a known public key' };
		}
		if (project !== this.project.uid || ai !== this.project.ai) {
			return { ok: false, status: 401, failure: 'invalid_client', message: 'project and ai do not belong to this public key' };
		}
		if (!safeEqual(auth.toLowerCase(), signAuthToken(this.project.privateKey, project, ai, tm))) {
			return { ok: false, status: 401, failure: 'invalid_signature', message: 'auth does not match the signature of project, ai and tm' };
		}
		// Checked after the signature, so a stale_timestamp answer means the key pair itself is right.
		if (!/^\d{1,15}$/.test(tm) || Math.abs(Number(tm) - this.now()) > MAX_CLOCK_SKEW_MS) {
			return { ok: false, status: 401, failure: 'stale_timestamp', message: 'tm must be the current Unix time in milliseconds (within 5 minutes)' };
		}
		const code = randomAlphanumeric(64);
		// GrowingIO keeps one code per key pair: issuing a new one invalidates the previous.
		this.current = { code, expiresAt: this.now() + this.codeTtlMs };
		this.issued.push(code);
		return { ok: true, code };
	}

	isValid(code: string): boolean {
		const current = this.current;
		return !!current && this.now() < current.expiresAt && safeEqual(code, current.code);
	}

	/** Used by the expired_token fault: the next request needs a fresh login. */
	revoke(): void {
		this.current = undefined;
	}
}
