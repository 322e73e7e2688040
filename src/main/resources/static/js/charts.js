// Hand-written SVG bar charts that stay readable at any size: drawn at the container's real pixel width (so text
// is never scaled down on a phone), with a labelled y axis, x labels thinned so that they never overlap, and the
// value of a bar shown on hover, on touch and on focus (arrow keys move between bars). A table of the numbers sits
// under each chart for anyone who prefers it, and for screen readers.
const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;
// Roughly the advance of one character (digits, lower case) of the 13 px system font, for fitting labels without measuring text.
const CHAR = 7.5;

function svg(tag, attributes = {}) {
	const element = document.createElementNS(SVG, tag);
	for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
	return element;
}

function text(x, y, content, attributes = {}) {
	const element = svg('text', { x, y, ...attributes });
	element.textContent = content;
	return element;
}

// Time buckets ---------------------------------------------------------------------------------------------------

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const longMonthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The bucket that gives a time axis of roughly 10 to 70 bars for a library saved between two instants (ms): days
 * for up to a month, weeks for up to a year, months for up to six years, years beyond.
 */
export function chooseBucket(first, last) {
	const days = (last - first) / DAY;
	if (days <= 31) return 'day';
	if (days <= 366) return 'week';
	if (days <= 6 * 366) return 'month';
	return 'year';
}

/** The start (ms, UTC) of the bucket holding instant {@code ms}. */
function bucketStart(ms, bucket) {
	const date = new Date(ms);
	const y = date.getUTCFullYear();
	const m = date.getUTCMonth();
	const d = date.getUTCDate();
	switch (bucket) {
		case 'day': return Date.UTC(y, m, d);
		case 'week': return Date.UTC(y, m, d - ((date.getUTCDay() + 6) % 7)); // ISO weeks start on Monday
		case 'month': return Date.UTC(y, m, 1);
		default: return Date.UTC(y, 0, 1);
	}
}

function nextBucket(ms, bucket) {
	const date = new Date(ms);
	const y = date.getUTCFullYear();
	const m = date.getUTCMonth();
	const d = date.getUTCDate();
	switch (bucket) {
		case 'day': return Date.UTC(y, m, d + 1);
		case 'week': return Date.UTC(y, m, d + 7);
		case 'month': return Date.UTC(y, m + 1, 1);
		default: return Date.UTC(y + 1, 0, 1);
	}
}

function bucketLabels(ms, bucket) {
	const date = new Date(ms);
	switch (bucket) {
		case 'day': return { label: dayFormat.format(date), title: longDayFormat.format(date) };
		case 'week': return { label: dayFormat.format(date), title: `Week of ${longDayFormat.format(date)}` };
		case 'month': return { label: monthFormat.format(date), title: longMonthFormat.format(date) };
		default: return { label: String(date.getUTCFullYear()), title: String(date.getUTCFullYear()) };
	}
}

/**
 * Counts instants (ms; NaN is skipped) per bucket, from the first bucket to the last with the empty ones in
 * between, so that the time axis is honest. The bucket is chosen from the span unless given.
 */
export function countOverTime(instants, bucket) {
	const valid = instants.filter((ms) => Number.isFinite(ms));
	if (!valid.length) return { bucket: bucket || 'month', entries: [] };
	let first = Infinity;
	let last = -Infinity;
	for (const ms of valid) {
		if (ms < first) first = ms;
		if (ms > last) last = ms;
	}
	const chosen = bucket || chooseBucket(first, last);
	const counts = new Map();
	for (const ms of valid) {
		const start = bucketStart(ms, chosen);
		counts.set(start, (counts.get(start) || 0) + 1);
	}
	const entries = [];
	for (let start = bucketStart(first, chosen); start <= last; start = nextBucket(start, chosen)) {
		entries.push({ ...bucketLabels(start, chosen), value: counts.get(start) || 0 });
	}
	return { bucket: chosen, entries };
}

/** Before this no recording existed: an earlier release year is a placeholder, not a date. */
const FIRST_RECORDING_YEAR = 1860;

/**
 * The year of a release date (YYYY, YYYY-MM or YYYY-MM-DD), or NaN when it is unknown. Spotify sends "0000" and
 * other impossible years for some albums: they are unknown too, or the decades chart would draw every decade since
 * year 0.
 */
export function releaseYear(releaseDate, now = new Date()) {
	if (!/^\d{4}/.test(releaseDate || '')) return NaN;
	const year = Number(releaseDate.slice(0, 4));
	return year >= FIRST_RECORDING_YEAR && year <= now.getUTCFullYear() + 1 ? year : NaN;
}

/** Counts years (numbers; NaN is skipped) per decade, with the empty decades in between. */
export function countDecades(years) {
	const decades = new Map();
	for (const year of years) {
		if (Number.isFinite(year)) decades.set(Math.floor(year / 10) * 10, (decades.get(Math.floor(year / 10) * 10) || 0) + 1);
	}
	if (!decades.size) return [];
	const keys = [...decades.keys()];
	const entries = [];
	for (let decade = Math.min(...keys); decade <= Math.max(...keys); decade += 10) {
		entries.push({ label: `${decade}s`, title: `${decade}s`, value: decades.get(decade) || 0 });
	}
	return entries;
}

// Drawing ------------------------------------------------------------------------------------------------------

/** Up to about five round steps (1, 2 or 5 times a power of ten) from 0 to at least {@code max}. */
export function niceTicks(max) {
	if (max <= 0) return [0, 1];
	const rough = max / 4;
	const power = 10 ** Math.floor(Math.log10(rough));
	const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough && Number.isInteger(s)) || Math.ceil(rough);
	const ticks = [];
	for (let tick = 0; tick < max + step; tick += step) ticks.push(tick);
	return ticks;
}

const plural = (n, unit) => `${n.toLocaleString()} ${unit}${n === 1 ? '' : 's'}`;

function numbersTable(entries, caption, columns) {
	const details = document.createElement('details');
	details.className = 'numbers';
	const summary = document.createElement('summary');
	summary.textContent = 'Show the numbers';
	const table = document.createElement('table');
	const tableCaption = document.createElement('caption');
	tableCaption.className = 'visually-hidden';
	tableCaption.textContent = caption;
	const head = document.createElement('tr');
	for (const heading of columns) {
		const th = document.createElement('th');
		th.scope = 'col';
		th.textContent = heading;
		head.append(th);
	}
	const rows = entries.map((entry) => {
		const tr = document.createElement('tr');
		const th = document.createElement('th');
		th.scope = 'row';
		th.textContent = entry.title;
		const td = document.createElement('td');
		td.textContent = entry.value.toLocaleString();
		tr.append(th, td);
		return tr;
	});
	const thead = document.createElement('thead');
	thead.append(head);
	const tbody = document.createElement('tbody');
	tbody.append(...rows);
	table.append(tableCaption, thead, tbody);
	details.append(summary, table);
	return details;
}

/**
 * A vertical bar chart of {@code entries} ({label, title, value}) in {@code container}, with axis titles
 * {@code xTitle} and {@code yTitle}; {@code caption} names the chart for assistive technology.
 */
export function columnChart(container, entries, { caption, xTitle, yTitle, unit = 'track' }) {
	if (!entries.length) {
		container.replaceChildren(emptyNote());
		return;
	}
	const width = Math.max(280, Math.floor(container.clientWidth || 640));
	const height = 240;
	const ticks = niceTicks(Math.max(...entries.map((e) => e.value)));
	// Room for the rotated axis title, then for the widest value on the axis.
	const left = 24 + Math.max(...ticks.map((t) => t.toLocaleString().length)) * CHAR + 8;
	const right = 12;
	const top = 26;
	const bottom = 46;
	const plotHeight = height - top - bottom;
	// Bars never grow fat: at most 56 px per bar, the rest of the width stays empty.
	const slot = Math.min(56, (width - left - right) / entries.length);
	const barWidth = Math.max(1, Math.min(slot * 0.8, slot - 1));
	const yMax = ticks[ticks.length - 1];
	const y = (value) => top + plotHeight - (value / yMax) * plotHeight;
	const centre = (i) => left + i * slot + slot / 2;

	const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bars', tabindex: 0,
		role: 'img', 'aria-label': describe(entries, caption, unit) });
	const grid = svg('g', { class: 'grid' });
	for (const tick of ticks) {
		grid.append(svg('line', { x1: left, x2: left + slot * entries.length, y1: y(tick), y2: y(tick) }),
			text(left - 6, y(tick) + 4, tick.toLocaleString(), { 'text-anchor': 'end', class: 'tick y' }));
	}
	chart.append(grid);

	const bars = svg('g', { class: 'series' });
	entries.forEach((entry, i) => {
		const barTop = entry.value ? Math.min(y(entry.value), top + plotHeight - 1) : top + plotHeight;
		const bar = svg('rect', { class: 'bar', x: centre(i) - barWidth / 2, y: barTop, width: barWidth,
			height: top + plotHeight - barTop });
		bars.append(bar);
	});
	chart.append(bars);
	chart.append(svg('line', { class: 'axis', x1: left, x2: left + slot * entries.length, y1: top + plotHeight,
		y2: top + plotHeight }));

	// Labels every `step` bars, so that none overlap: each needs its own width plus a gap.
	const labelWidth = Math.max(...entries.map((e) => e.label.length)) * CHAR + 10;
	const step = Math.max(1, Math.ceil(labelWidth / slot));
	for (let i = 0; i < entries.length; i += step) {
		const x = Math.min(Math.max(centre(i), labelWidth / 2), width - labelWidth / 2);
		chart.append(text(x, top + plotHeight + 16, entries[i].label, { 'text-anchor': 'middle', class: 'tick x' }));
	}
	chart.append(text(left + (slot * entries.length) / 2, height - 6, xTitle, { 'text-anchor': 'middle',
		class: 'axis-title' }));
	chart.append(text(0, 0, yTitle, { 'text-anchor': 'middle', class: 'axis-title',
		transform: `translate(14 ${top + plotHeight / 2}) rotate(-90)` }));

	const tip = svg('g', { class: 'tip', visibility: 'hidden' });
	const tipBox = svg('rect', { rx: 4, height: 20 });
	const tipText = text(0, 0, '', { 'text-anchor': 'middle' });
	tip.append(tipBox, tipText);
	chart.append(tip);

	const readout = document.createElement('p');
	readout.className = 'readout';
	readout.setAttribute('aria-live', 'polite');
	readout.textContent = 'Point at or tap a bar, or focus the chart and use the arrow keys, for its value.';

	let active = -1;
	function show(i) {
		active = Math.max(0, Math.min(entries.length - 1, i));
		const entry = entries[active];
		bars.querySelectorAll('.active').forEach((b) => b.classList.remove('active'));
		bars.children[active].classList.add('active');
		const value = entry.value.toLocaleString();
		const boxWidth = value.length * CHAR + 12;
		const x = Math.min(Math.max(centre(active), left + boxWidth / 2), width - boxWidth / 2);
		const tipY = Math.max(2, y(entry.value) - 24);
		tipBox.setAttribute('x', x - boxWidth / 2);
		tipBox.setAttribute('y', tipY);
		tipBox.setAttribute('width', boxWidth);
		tipText.setAttribute('x', x);
		tipText.setAttribute('y', tipY + 14);
		tipText.textContent = value;
		tip.setAttribute('visibility', 'visible');
		readout.textContent = `${entry.title}: ${plural(entry.value, unit)}`;
	}
	function hide() {
		bars.querySelectorAll('.active').forEach((b) => b.classList.remove('active'));
		tip.setAttribute('visibility', 'hidden');
	}
	const indexAt = (event) => Math.floor((event.clientX - chart.getBoundingClientRect().left - left) / slot);
	const point = (event) => {
		const i = indexAt(event);
		if (i >= 0 && i < entries.length) show(i);
	};
	chart.addEventListener('pointermove', point);
	chart.addEventListener('pointerdown', point); // a tap on a touch screen
	chart.addEventListener('pointerleave', () => { if (document.activeElement !== chart) hide(); });
	chart.addEventListener('focus', () => show(active >= 0 ? active : entries.length - 1));
	chart.addEventListener('blur', hide);
	chart.addEventListener('keydown', (event) => {
		const moves = { ArrowLeft: active - 1, ArrowRight: active + 1, Home: 0, End: entries.length - 1,
			PageUp: active - 10, PageDown: active + 10 };
		if (event.key in moves) {
			event.preventDefault();
			show(moves[event.key]);
		}
	});
	container.replaceChildren(chart, readout, numbersTable(entries, caption, [xTitle, yTitle]));
}

/** A horizontal bar chart with the value at the end of each bar, for ranked names. */
export function rankChart(container, entries, { caption, unit = 'track' }) {
	if (!entries.length) {
		container.replaceChildren(emptyNote());
		return;
	}
	const width = Math.max(280, Math.floor(container.clientWidth || 640));
	const labelWidth = Math.min(200, Math.floor(width * 0.42));
	const valueWidth = Math.max(...entries.map((e) => e.value.toLocaleString().length)) * CHAR + 12;
	const row = 26;
	const height = entries.length * row;
	const max = Math.max(...entries.map((e) => e.value));
	const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'bars', role: 'img',
		'aria-label': `${caption}: ${entries.map((e) => `${e.title}, ${plural(e.value, unit)}`).join('; ')}` });
	const maxChars = Math.floor((labelWidth - 8) / CHAR);
	entries.forEach((entry, i) => {
		const length = Math.max(2, Math.round((entry.value / max) * (width - labelWidth - valueWidth)));
		const name = entry.label.length > maxChars ? `${entry.label.slice(0, maxChars - 1)}…` : entry.label;
		const label = text(labelWidth - 8, i * row + 17, name, { 'text-anchor': 'end', class: 'name' });
		const title = svg('title');
		title.textContent = `${entry.title}: ${plural(entry.value, unit)}`;
		label.append(title);
		chart.append(label,
			svg('rect', { class: 'bar', x: labelWidth, y: i * row + 4, width: length, height: row - 8 }),
			text(labelWidth + length + 6, i * row + 17, entry.value.toLocaleString(), { class: 'value' }));
	});
	container.replaceChildren(chart);
}

function describe(entries, caption, unit) {
	const top = entries.reduce((best, e) => (e.value > best.value ? e : best), entries[0]);
	const total = entries.reduce((sum, e) => sum + e.value, 0);
	return `${caption}, ${entries[0].title} to ${entries[entries.length - 1].title}: ${plural(total, unit)} in `
		+ `${entries.length} bars, the most in ${top.title} (${top.value.toLocaleString()}). `
		+ 'Use the arrow keys to read each bar.';
}

function emptyNote() {
	const note = document.createElement('p');
	note.textContent = 'No tracks yet.';
	return note;
}
