// Loads the signed-in person's library from the saved-tracks API, one page of the table at a time.
const PAGE = 100;
let offset = 0;
let total = 0;

const $ = (id) => document.getElementById(id);

function duration(ms) {
	if (ms == null) return '';
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function cell(text) {
	const td = document.createElement('td');
	td.textContent = text ?? '';
	return td;
}

async function load(refresh) {
	$('status').textContent = refresh ? 'Asking Spotify for changes…' : 'Loading your library…';
	const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
	if (refresh) params.set('refresh', 'true');
	const response = await fetch(`/api/saved-tracks?${params}`, { headers: { Accept: 'application/json' } });
	const body = await response.json();
	if (!response.ok) {
		$('status').textContent = body.detail || 'The library could not be loaded.';
		return;
	}
	total = body.total;
	const stale = response.headers.get('X-Library-Stale');
	const synced = body.syncedAt ? new Date(body.syncedAt).toLocaleString() : 'never';
	$('status').textContent = `${total} saved tracks, last synced ${synced}` +
		(stale ? ' (Spotify is unavailable; showing the last copy)' : '');
	$('status').className = stale ? 'stale' : '';
	const rows = body.items.map((t) => {
		const tr = document.createElement('tr');
		tr.append(cell(t.name), cell((t.artists || []).map((a) => a.name).join(', ')),
			cell(t.album && t.album.name), cell(t.addedAt && t.addedAt.slice(0, 10)), cell(duration(t.durationMs)));
		return tr;
	});
	$('tracks').replaceChildren(...rows);
	$('page').textContent = total ? `${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}` : '';
	$('previous').disabled = offset === 0;
	$('next').disabled = offset + PAGE >= total;
}

document.addEventListener('DOMContentLoaded', () => {
	$('refresh').addEventListener('click', () => load(true));
	$('previous').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(false); });
	$('next').addEventListener('click', () => { offset += PAGE; load(false); });
	load(false);
});
