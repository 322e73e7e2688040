// An AI agent as the official MCP TypeScript SDK makes one: it connects to the MCP endpoint given as argument,
// is refused, discovers the authorization server, registers (dynamically, or with a client metadata document URL
// given as second argument), sends the person to authorize (prints "AUTHORIZE <url>" for the test's browser),
// receives the code on a loopback redirect URI, gets tokens, calls a tool, refreshes, revokes. Prints one
// "RESULT <json>" line at the end, or "FAILED <message>".
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, auth } from '@modelcontextprotocol/sdk/client/auth.js';

const serverUrl = new URL(process.argv[2]);
const clientMetadataUrl = process.argv[3] || undefined;
const result = {};

let resolveCode;
const codeArrived = new Promise((resolve) => { resolveCode = resolve; });
const callback = http.createServer((request, response) => {
	const url = new URL(request.url, 'http://127.0.0.1');
	response.writeHead(200, { 'Content-Type': 'text/html' });
	response.end('<!DOCTYPE html><html lang="en"><title>Done</title><p id="done">You can close this window.</p></html>');
	resolveCode({ code: url.searchParams.get('code'), state: url.searchParams.get('state'), error: url.searchParams.get('error') });
});
await new Promise((resolve) => callback.listen(0, '127.0.0.1', resolve));
const redirectUrl = `http://127.0.0.1:${callback.address().port}/callback`;

const stored = {};
const provider = {
	get redirectUrl() { return redirectUrl; },
	get clientMetadata() {
		return {
			client_name: 'SDK test agent',
			redirect_uris: [redirectUrl],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			token_endpoint_auth_method: 'none',
		};
	},
	clientMetadataUrl,
	state: () => 'sdk-state',
	clientInformation: () => stored.client,
	saveClientInformation: (client) => { stored.client = client; },
	tokens: () => stored.tokens,
	saveTokens: (tokens) => { stored.tokens = tokens; },
	redirectToAuthorization: (url) => {
		result.authorizationUrl = url.toString();
		console.log(`AUTHORIZE ${url}`);
	},
	saveCodeVerifier: (verifier) => { stored.verifier = verifier; },
	codeVerifier: () => stored.verifier,
	saveDiscoveryState: (state) => { stored.discovery = state; },
	discoveryState: () => stored.discovery,
};

async function connected() {
	const client = new Client({ name: 'sdk-test-agent', version: '1.0.0' });
	await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
	return client;
}

async function stats(client) {
	const answer = await client.callTool({ name: 'library_stats', arguments: {} });
	return answer.structuredContent.total;
}

try {
	try {
		await connected();
		throw new Error('connected without authorization');
	} catch (error) {
		if (!(error instanceof UnauthorizedError)) throw error;
	}
	const { code, state, error } = await codeArrived;
	if (error) throw new Error(`authorization refused: ${error}`);
	result.state = state;
	const transport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider });
	await transport.finishAuth(code);
	result.clientId = stored.client.client_id;
	result.firstAccessToken = stored.tokens.access_token;
	result.firstRefreshToken = stored.tokens.refresh_token;

	const client = await connected();
	result.tools = (await client.listTools()).tools.map((tool) => tool.name);
	result.total = await stats(client);
	await client.close();

	// Refresh: the SDK refreshes when it holds a refresh token and is asked to authorize again.
	result.refreshOutcome = await auth(provider, { serverUrl });
	result.secondRefreshToken = stored.tokens.refresh_token;
	result.secondAccessToken = stored.tokens.access_token;
	const refreshed = await connected();
	result.totalAfterRefresh = await stats(refreshed);
	await refreshed.close();

	// Revocation (RFC 7009), as the public client it registered.
	const metadata = stored.discovery.authorizationServerMetadata;
	const revoked = await fetch(metadata.revocation_endpoint, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token: stored.tokens.access_token, client_id: result.clientId }),
	});
	result.revocationStatus = revoked.status;
	const afterRevocation = await fetch(serverUrl, {
		method: 'POST',
		headers: {
			Authorization: `Bearer ${stored.tokens.access_token}`,
			'Content-Type': 'application/json',
			Accept: 'application/json, text/event-stream',
		},
		body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
	});
	result.statusAfterRevocation = afterRevocation.status;
	console.log(`RESULT ${JSON.stringify(result)}`);
} catch (error) {
	console.log(`FAILED ${error && error.stack ? error.stack.replace(/\n/g, ' | ') : error}`);
} finally {
	callback.close();
}
