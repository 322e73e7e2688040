import { csrfToken } from './csrf.js';
// Connected apps panel: the AI apps allowed to read the library through /mcp, each with a Disconnect button.
const byId = (id) => document.getElementById(id);

async function call(method, path) {
	const response = await fetch(path, { method, headers: { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken() } });
	const text = await response.text();
	const data = text ? JSON.parse(text) : null;
	if (!response.ok) throw new Error((data && data.detail) || `Request failed (${response.status})`);
	return data;
}

const when = (instant) => (instant ? new Date(instant).toLocaleString() : 'never');

function appRow(app) {
	const tr = document.createElement('tr');
	for (const text of [app.name, app.from, when(app.connectedAt), when(app.lastTokenAt)]) {
		const td = document.createElement('td');
		td.textContent = text;
		tr.append(td);
	}
	const td = document.createElement('td');
	const disconnect = document.createElement('button');
	disconnect.type = 'button';
	disconnect.className = 'secondary';
	disconnect.textContent = 'Disconnect';
	disconnect.setAttribute('aria-label', `Disconnect ${app.name}`);
	disconnect.addEventListener('click', async () => {
		try {
			await call('DELETE', `/api/connected-apps/${encodeURIComponent(app.id)}`);
			byId('apps-status').textContent = `${app.name} disconnected.`;
			listApps();
		} catch (e) {
			byId('apps-status').textContent = e.message;
		}
	});
	td.append(disconnect);
	tr.append(td);
	return tr;
}

async function listApps() {
	try {
		const apps = await call('GET', '/api/connected-apps');
		byId('app-rows').replaceChildren(...apps.map(appRow));
		if (apps.length === 0 && !byId('apps-status').textContent) {
			byId('apps-status').textContent = 'No app is connected.';
		}
	} catch (e) {
		byId('apps-status').textContent = e.message;
	}
}

byId('mcp-url').textContent = `${location.origin}/mcp`;
listApps();
