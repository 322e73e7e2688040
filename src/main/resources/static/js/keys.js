import { csrfToken } from './csrf.js';
// API keys panel: create (shown once), list, revoke. State-changing calls echo the XSRF-TOKEN cookie.
const byId = (id) => document.getElementById(id);


async function call(method, path, body) {
	const headers = { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() };
	if (body) headers['Content-Type'] = 'application/json';
	const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
	const text = await response.text();
	const data = text ? JSON.parse(text) : null;
	if (!response.ok) throw new Error((data && data.detail) || `Request failed (${response.status})`);
	return data;
}

const day = (instant) => (instant ? instant.slice(0, 10) : '—');

function keyRow(key) {
	const tr = document.createElement('tr');
	for (const text of [key.name, key.hint, day(key.createdAt), key.expiresAt ? day(key.expiresAt) : 'never',
		key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never']) {
		const td = document.createElement('td');
		td.textContent = text;
		tr.append(td);
	}
	const td = document.createElement('td');
	const revoke = document.createElement('button');
	revoke.type = 'button';
	revoke.textContent = 'Revoke';
	revoke.setAttribute('aria-label', `Revoke key ${key.name}`);
	revoke.addEventListener('click', async () => {
		try {
			await call('DELETE', `/api/keys/${encodeURIComponent(key.id)}`);
			byId('keys-status').textContent = `Key "${key.name}" revoked.`;
			listKeys();
		} catch (e) {
			byId('keys-status').textContent = e.message;
		}
	});
	td.append(revoke);
	tr.append(td);
	return tr;
}

async function listKeys() {
	try {
		const keys = await call('GET', '/api/keys');
		byId('key-rows').replaceChildren(...keys.map(keyRow));
	} catch (e) {
		byId('keys-status').textContent = e.message;
	}
}

{
	byId('create-key').addEventListener('submit', async (event) => {
		event.preventDefault();
		try {
			const created = await call('POST', '/api/keys', { name: byId('key-name').value });
			byId('new-key-value').textContent = created.key;
			byId('new-key-curl').textContent =
				`curl -H "Authorization: Bearer ${created.key}" ${location.origin}/api/saved-tracks`;
			byId('new-key').hidden = false;
			byId('key-name').value = '';
			byId('keys-status').textContent = `Key "${created.name}" created.`;
			listKeys();
		} catch (e) {
			byId('keys-status').textContent = e.message;
		}
	});
	byId('copy-key').addEventListener('click', () => {
		navigator.clipboard.writeText(byId('new-key-value').textContent)
			.then(() => { byId('keys-status').textContent = 'Key copied.'; },
				() => { byId('keys-status').textContent = 'Copy failed: select the key and copy it by hand.'; });
	});
	listKeys();
}
