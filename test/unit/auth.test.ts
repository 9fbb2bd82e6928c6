import {
	CredentialConfigError,
	normalizeApiToken,
	normalizeBaseUrl,
	normalizeProjectUid,
	growingIoAuthHeaders,
	requestDestinationOrigin,
	requestOrigin,
	signAuthToken,
} from '../../nodes/GrowingIo/transport/auth';

describe('signAuthToken', () => {
	it('matches an HMAC-SHA256 vector computed with openssl', () => {
		// printf 'POST\n/auth/token\nproject=nxog09md&ai=a5006f6a0d3a6aab&tm=1700000000000' \
		//   | openssl dgst -sha256 -hmac 'test-private-key-2b6c'
		expect(signAuthToken('test-private-key-2b6c', 'nxog09md', 'a5006f6a0d3a6aab', 1700000000000)).toBe(
			'bbe2661d20c936f790ed02517e889e09293b7d694879f25a6b91f9ddf18b8f9e',
		);
	});

	it('changes with every signed field', () => {
		const base = signAuthToken('k', 'p', 'a', 1);
		expect(signAuthToken('k2', 'p', 'a', 1)).not.toBe(base);
		expect(signAuthToken('k', 'p2', 'a', 1)).not.toBe(base);
		expect(signAuthToken('k', 'p', 'a2', 1)).not.toBe(base);
		expect(signAuthToken('k', 'p', 'a', 2)).not.toBe(base);
	});
});

describe('normalizeApiToken', () => {
	it('keeps a bare token and strips a pasted Token/Bearer prefix', () => {
		expect(normalizeApiToken('  abc123  ')).toBe('abc123');
		expect(normalizeApiToken('Bearer abc123')).toBe('abc123');
		expect(normalizeApiToken('token abc123')).toBe('abc123');
	});

	it('rejects empty and whitespace tokens without echoing them', () => {
		expect(() => normalizeApiToken('   ')).toThrow(/API Token .* is empty/);
		expect(() => normalizeApiToken('')).toThrow(CredentialConfigError);
		expect(() => normalizeApiToken('secret part1 part2')).toThrow(/contains spaces or line breaks/);
		expect(() => normalizeApiToken('secret part1 part2')).not.toThrow(/secret|part1|part2/);
	});
});

describe('normalizeBaseUrl', () => {
	it('accepts origins with or without a trailing slash', () => {
		expect(normalizeBaseUrl('https://www.growingio.com/')).toBe('https://www.growingio.com');
		expect(normalizeBaseUrl('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
		expect(normalizeBaseUrl('')).toBe('https://www.growingio.com');
	});

	it.each([
		['www.growingio.com', /not a valid URL/],
		['ftp://growingio.com', /must start with https/],
		['https://www.growingio.com/projects/nxog09md', /just the scheme and host/],
		['https://user:pw@www.growingio.com', /just the scheme and host/],
	])('rejects %s with a message naming the Base URL', (value, message) => {
		expect(() => normalizeBaseUrl(value)).toThrow(message);
		expect(() => normalizeBaseUrl(value)).toThrow(/Base URL/);
	});
});

describe('normalizeProjectUid', () => {
	it('accepts the ID from the project URL and rejects a pasted URL', () => {
		expect(normalizeProjectUid(' nxog09md ')).toBe('nxog09md');
		expect(() => normalizeProjectUid('https://www.growingio.com/projects/nxog09md')).toThrow(/Project UID/);
		expect(() => normalizeProjectUid('')).toThrow(/Project UID/);
	});
});

describe('requestOrigin', () => {
	it('resolves relative URLs against the base URL like axios', () => {
		expect(requestOrigin('/projects/x/dashboards.json', 'https://www.growingio.com')).toBe('https://www.growingio.com');
		expect(requestOrigin('https://storage.example.com/part-00000.gz')).toBe('https://storage.example.com');
		expect(requestOrigin('not a url')).toBeUndefined();
	});
});

describe('requestDestinationOrigin', () => {
	it('reads url (n8n httpRequest options) and uri (legacy request options, as the HTTP Request node sends)', () => {
		expect(requestDestinationOrigin({ url: 'https://www.growingio.com/projects/x/dashboards.json' })).toBe('https://www.growingio.com');
		expect(requestDestinationOrigin({ uri: 'https://www.growingio.com/v2/projects/x/charts/y.json' })).toBe('https://www.growingio.com');
		expect(requestDestinationOrigin({ uri: new URL('https://storage.example.com/part-00000.gz') })).toBe('https://storage.example.com');
		expect(requestDestinationOrigin({ url: '/projects/x/dashboards.json', baseURL: 'http://127.0.0.1:8787' })).toBe('http://127.0.0.1:8787');
	});

	it('prefers url over uri, as n8n does when it converts legacy options', () => {
		expect(requestDestinationOrigin({ url: 'https://storage.example.com/a', uri: 'https://www.growingio.com/b' })).toBe('https://storage.example.com');
	});

	it('has no origin without an address or with a relative one and no base', () => {
		expect(requestDestinationOrigin({})).toBeUndefined();
		expect(requestDestinationOrigin({ uri: '/projects/x/dashboards.json' })).toBeUndefined();
	});
});

describe('growingIoAuthHeaders', () => {
	it('sends the bare API token, and the public key as X-Client-Id only when it is set', () => {
		expect(growingIoAuthHeaders({ authentication: 'apiToken', apiToken: 'Token abc123' })).toEqual({ Authorization: 'abc123' });
		expect(growingIoAuthHeaders({ authentication: 'apiToken', apiToken: 'abc123', publicKey: ' pk1 ' })).toEqual({ Authorization: 'abc123', 'X-Client-Id': 'pk1' });
	});

	it('sends the key-pair code, never the private key', () => {
		const headers = growingIoAuthHeaders({ authentication: 'keyPair', publicKey: 'pk1', privateKey: 'private-1', apiToken: 'unused' }, 'code-1');
		expect(headers).toEqual({ Authorization: 'code-1', 'X-Client-Id': 'pk1' });
	});
});
