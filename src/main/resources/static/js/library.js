import { csrfToken } from './csrf.js';
import { columnChart, countDecades, countOverTime, rankChart, releaseYear as releaseYearOf } from './charts.js';
import { wireDownloads } from './downloads.js';
import { needsSignIn, problemSentence, staleSentence } from './problems.js';
// The signed-in page: loads the whole library once from the saved-tracks API, then searches, sorts and pages it
// in the browser (fast with tens of thousands of rows), draws the charts, offers downloads and shows sync progress.
const PAGE = 100;
const $ = (id) => document.getElementById(id);

const state = { tracks: [], sorted: [], sortedBy: '', view: [], offset: 0, sortKey: 'addedAt', sortAsc: false,
	query: '', charts: null };

function showProblem(problem) {
	const element = $('problem');
	element.replaceChildren(problemSentence(problem));
	if (needsSignIn(problem)) {
		const link = document.createElement('a');
		link.href = '/oauth2/authorization/spotify';
		link.textContent = 'Sign in with Spotify';
		element.append(link);
	}
	element.hidden = false;
}

function clearProblem() {
	$('problem').hidden = true;
}

const duration = (ms) => {
	if (ms == null) return '';
	const s = Math.round(ms / 1000);
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

const when = (instant) => (instant ? new Date(instant).toLocaleString() : 'never');

// Spotify serves each album cover at 640, 300 and 64 px under ids that differ only in this prefix; the table
// shows 40 px covers, so it asks for the 64 px one instead of the 640 px one the API reports.
const SPOTIFY_COVER = /^(https:\/\/i\.scdn\.co\/image\/ab67616d)(0000b273|00001e02)/;

const thumbnail = (url) => (url ? url.replace(SPOTIFY_COVER, '$100004851') : null);

function prepare(track) {
	const artistList = (track.artists || []).map((a) => a && a.name).filter(Boolean);
	const artists = artistList.join(', ');
	const album = track.album || {};
	const albumName = album.name || '';
	const releaseYear = releaseYearOf(album.releaseDate);
	return {
		name: track.name || '', artists, album: albumName, addedAt: track.addedAt || '',
		addedMs: track.addedAt ? Date.parse(track.addedAt) : NaN, durationMs: track.durationMs ?? -1,
		cover: thumbnail(album.imageUrl), releaseYear, artistList,
		search: `${track.name || ''} ${artists} ${albumName}`.toLocaleLowerCase(),
	};
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

const COMPARATORS = {
	name: (a, b) => collator.compare(a.name, b.name),
	artists: (a, b) => collator.compare(a.artists, b.artists),
	album: (a, b) => collator.compare(a.album, b.album),
	// ISO-8601 instants in UTC sort as plain strings.
	addedAt: (a, b) => (a.addedAt < b.addedAt ? -1 : (a.addedAt > b.addedAt ? 1 : 0)),
	durationMs: (a, b) => a.durationMs - b.durationMs,
};

/** The whole library in the current order, sorted only when the order changes: typing then merely filters. */
function sortedTracks() {
	const order = `${state.sortKey} ${state.sortAsc}`;
	if (state.sortedBy !== order) {
		const compare = COMPARATORS[state.sortKey];
		const direction = state.sortAsc ? 1 : -1;
		state.sorted = state.tracks.slice().sort((a, b) => direction * compare(a, b));
		state.sortedBy = order;
	}
	return state.sorted;
}

/**
 * Filters the sorted library by every word of the query and shows the first page. The time from the keystroke
 * (or click) to the rendered page is recorded as a User Timing measure, so it shows in the browser's performance
 * tools and the browser tests can check it.
 */
function applyView(measure, since) {
	const started = since ?? performance.now();
	const words = state.query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
	const tracks = sortedTracks();
	state.view = words.length ? tracks.filter((t) => words.every((w) => t.search.includes(w))) : tracks;
	state.offset = 0;
	$('match-count').textContent = words.length ? `${state.view.length} of ${state.tracks.length} match` : '';
	render();
	if (measure) performance.measure(measure, { start: started });
}

function cell(text) {
	const td = document.createElement('td');
	td.textContent = text;
	return td;
}

function cover(track) {
	const frame = document.createElement('span');
	frame.className = 'cover';
	if (track.cover) {
		const image = document.createElement('img');
		image.alt = '';
		image.width = 40;
		image.height = 40;
		image.decoding = 'async';
		image.loading = 'lazy'; // before src, or the browser starts loading at once
		image.src = track.cover;
		frame.append(image);
	} else {
		frame.classList.add('missing');
	}
	return frame;
}

function row(track) {
	const tr = document.createElement('tr');
	const title = document.createElement('td');
	const titleBox = document.createElement('div');
	titleBox.className = 'title';
	const name = document.createElement('span');
	name.textContent = track.name;
	titleBox.append(cover(track), name);
	title.append(titleBox);
	tr.append(title, cell(track.artists), cell(track.album), cell(track.addedAt.slice(0, 10)),
		cell(duration(track.durationMs < 0 ? null : track.durationMs)));
	return tr;
}

function render() {
	$('tracks').replaceChildren(...state.view.slice(state.offset, state.offset + PAGE).map(row));
	const total = state.view.length;
	$('page').textContent = total ? `${state.offset + 1}–${Math.min(state.offset + PAGE, total)} of ${total}` : 'No tracks';
	$('previous').disabled = state.offset === 0;
	$('next').disabled = state.offset + PAGE >= total;
	document.querySelectorAll('th[aria-sort]').forEach((th) => {
		const key = th.querySelector('button').dataset.sort;
		th.setAttribute('aria-sort', key === state.sortKey ? (state.sortAsc ? 'ascending' : 'descending') : 'none');
	});
}

function chartData() {
	const added = state.tracks.map((t) => t.addedMs);
	const artists = new Map();
	for (const t of state.tracks) {
		for (const a of t.artistList) artists.set(a, (artists.get(a) || 0) + 1);
	}
	const years = state.tracks.map((t) => t.releaseYear);
	return {
		timeline: countOverTime(added),
		perYear: countOverTime(added, 'year').entries,
		decades: countDecades(years),
		undated: years.filter((y) => Number.isNaN(y)).length,
		artists: [...artists.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
			.map(([name, value]) => ({ label: name, title: name, value })),
	};
}

const X_TITLES = { day: 'Day saved', week: 'Week saved (starting Monday)', month: 'Month saved' };

function drawCharts() {
	const data = state.charts;
	if (!data) return;
	const bucket = data.timeline.bucket;
	// Over many years the time line would be the per-year chart twice: then only the latter is shown.
	$('timeline-figure').hidden = bucket === 'year';
	if (bucket !== 'year') {
		const caption = `Tracks saved per ${bucket}`;
		$('timeline-title').textContent = caption;
		columnChart($('timeline'), data.timeline.entries, { caption, xTitle: X_TITLES[bucket], yTitle: 'Tracks saved' });
	}
	columnChart($('per-year'), data.perYear, { caption: 'Tracks saved per year', xTitle: 'Year saved',
		yTitle: 'Tracks saved' });
	columnChart($('decades'), data.decades, { caption: 'Decades of release', xTitle: 'Decade the album came out',
		yTitle: 'Tracks' });
	if (data.undated && data.decades.length) {
		const note = document.createElement('p');
		note.className = 'chart-note';
		note.textContent = data.undated === 1 ? 'One track has no known release date and is not counted.'
			: `${data.undated.toLocaleString()} tracks have no known release date and are not counted.`;
		$('decades').append(note);
	}
	rankChart($('top-artists'), data.artists, { caption: 'Most saved artists' });
}

// The page asks for the summary twice at start-up (at once, and after the library has loaded): only the
// latest request may write it, or a slow first answer would leave "not synced yet" under a loaded library.
let summaryRequests = 0;

async function showSummary() {
	const request = ++summaryRequests;
	const response = await fetch('/api/me', { headers: { Accept: 'application/json' } });
	if (!response.ok) return;
	const me = await response.json();
	if (request !== summaryRequests) return;
	const state_ = me.reauthorizationRequired ? 'sign in again to sync'
		: { COMPLETE: 'up to date', FAILED: 'the last sync failed', SYNCING: 'syncing', NEVER_SYNCED: 'not synced yet' }[me.syncState] || me.syncState;
	const omitted = (me.spotifyTotal || 0) - (me.librarySize || 0);
	const more = omitted > 0 ? ` (Spotify counts ${omitted} more that it does not list or that were removed)` : '';
	showSignInDue(me);
	if (document.activeElement !== $('language')) $('language').value = me.language || '';
	$('summary').textContent = me.librarySize == null ? 'Your library has not been synced yet.'
		: `${me.librarySize} saved tracks${more} · last synced ${when(me.lastSyncedAt)} · ${state_}`;
}

/** From 14 days before Spotify ends the person's authorisation: when to sign in again, and a link to do it. */
function showSignInDue(me) {
	const due = $('sign-in-due');
	due.hidden = !(me.signInDueSoon && me.signInBefore);
	if (due.hidden) return;
	const date = new Date(me.signInBefore).toLocaleDateString(undefined, { dateStyle: 'long' });
	due.replaceChildren(`Sign in again before ${date}: Spotify ends this app's access to your library then. `);
	const link = document.createElement('a');
	link.href = '/oauth2/authorization/spotify';
	link.textContent = 'Sign in with Spotify now';
	due.append(link);
}

let polling = null;

function watchProgress() {
	stopProgress();
	const timer = setInterval(async () => {
		const response = await fetch('/api/sync-status', { headers: { Accept: 'application/json' } });
		if (!response.ok) return;
		const status = await response.json();
		// The load may have finished while this poll was under way: then the bar stays hidden.
		if (polling !== timer || (!status.syncing && !status.waitingForSpotifySeconds)) return;
		$('progress').hidden = false;
		const bar = $('progress-bar');
		if (status.pagesTotal) {
			bar.max = status.pagesTotal;
			bar.value = status.pagesFetched;
			bar.setAttribute('aria-valuetext', `${status.pagesFetched} of ${status.pagesTotal} pages`);
		} else {
			// Until Spotify has told the total, the bar is indeterminate rather than a made-up share.
			bar.removeAttribute('value');
			bar.removeAttribute('aria-valuetext');
		}
		$('progress-label').textContent = status.waitingForSpotifySeconds
			? `Waiting for Spotify (${status.waitingForSpotifySeconds} s)`
			: `Syncing: ${status.pagesFetched} of ${status.pagesTotal || '?'} pages`;
	}, 500);
	polling = timer;
}

function stopProgress() {
	if (polling) clearInterval(polling);
	polling = null;
	$('progress').hidden = true;
}

async function load(refresh) {
	// Busy until the tracks, the charts and the summary are all in place (assistive technology waits, and so do tests).
	$('overview').setAttribute('aria-busy', 'true');
	clearProblem();
	watchProgress();
	$('refresh').disabled = true;
	try {
		const response = await fetch(`/api/saved-tracks${refresh ? '?refresh=true' : ''}`,
			{ headers: { Accept: 'application/json', 'Cache-Control': 'max-stale' } });
		const body = await response.json();
		if (!response.ok) {
			showProblem(body);
			return;
		}
		const stale = response.headers.get('X-Library-Stale');
		if (stale === 'reauthorization-required') {
			showProblem({ type: 'reauthorization-required' });
		} else if (stale) {
			$('problem').textContent = staleSentence(stale, when(body.syncedAt));
			$('problem').hidden = false;
		}
		state.tracks = (body.items || []).map(prepare);
		state.sortedBy = '';
		applyView();
		state.charts = chartData();
		drawCharts();
		await showSummary();
	} catch (e) {
		showProblem({ detail: 'The library could not be loaded. Check your connection and try again.' });
	} finally {
		stopProgress();
		$('refresh').disabled = false;
		$('overview').setAttribute('aria-busy', 'false');
	}
}


// Filtering 10,000 prepared rows takes a few milliseconds, so every keystroke filters at once (no debounce).
$('search').addEventListener('input', (event) => {
	state.query = event.target.value;
	applyView('saved-tracks:filter', event.timeStamp);
});
document.querySelectorAll('th button[data-sort]').forEach((button) => button.addEventListener('click', (event) => {
	const key = button.dataset.sort;
	state.sortAsc = key === state.sortKey ? !state.sortAsc : key !== 'addedAt';
	state.sortKey = key;
	applyView('saved-tracks:sort', event.timeStamp);
}));
// Covers that cannot be loaded (offline, or removed from Spotify's CDN) leave a plain square, not a broken image.
$('tracks').addEventListener('error', (event) => {
	if (event.target instanceof HTMLImageElement) {
		event.target.parentElement.classList.add('missing');
		event.target.remove();
	}
}, true);
$('previous').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); render(); });
$('next').addEventListener('click', () => { state.offset += PAGE; render(); });
$('refresh').addEventListener('click', () => load(true));
$('language-form').addEventListener('submit', async (event) => {
	event.preventDefault();
	const response = await fetch('/api/me/language', {
		method: 'PUT',
		headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken() },
		body: JSON.stringify({ language: $('language').value }),
	});
	$('language-status').textContent = response.ok
		? 'Changed: your whole library is read again in this language.' : 'That is not a language tag such as ja or el.';
	if (response.ok) load(true);
});
$('delete-data').addEventListener('click', () => $('confirm-delete').showModal());
$('confirm-delete').addEventListener('close', async () => {
	if ($('confirm-delete').returnValue !== 'delete') return;
	const response = await fetch('/api/me', { method: 'DELETE', headers: { 'X-XSRF-TOKEN': csrfToken() } });
	if (response.ok) {
		window.location.assign('/');
	} else {
		showProblem({ detail: 'Your data could not be deleted. Please try again.' });
	}
});

// Charts are drawn at their real width (readable text on any screen), so they are redrawn when that changes.
let chartsWidth = 0;
new ResizeObserver(() => {
	const width = $('charts').clientWidth;
	if (width !== chartsWidth) {
		chartsWidth = width;
		drawCharts();
	}
}).observe($('charts'));
wireDownloads($('overview').querySelector('.downloads'), $('download-status'),
	() => document.body.dataset.displayName || document.body.dataset.spotifyId || '');

showSummary();
load(false);
