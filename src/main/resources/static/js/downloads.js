import { problemSentence } from './problems.js';
// "Download CSV / JSON / NDJSON": fetches the whole library through the signed-in session in the chosen format
// and saves it under a name that says whose library it is and from when.
const FORMATS = {
	csv: { accept: 'text/csv', extension: 'csv', name: 'CSV' },
	json: { accept: 'application/json', extension: 'json', name: 'JSON' },
	ndjson: { accept: 'application/x-ndjson', extension: 'ndjson', name: 'NDJSON' },
};

const pad = (n) => String(n).padStart(2, '0');

/**
 * saved-tracks-<person>-<YYYY-MM-DD>.<extension>, the person's name made safe for a file name (letters of any
 * script, digits and dashes) and the local date of the download.
 */
export function fileName(person, extension, date = new Date()) {
	const slug = (person || '').normalize('NFKC').toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-')
		.replace(/^-+|-+$/g, '').slice(0, 60);
	const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
	return `saved-tracks-${slug ? `${slug}-` : ''}${day}.${extension}`;
}

function size(bytes) {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function save(blob, name) {
	const url = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = url;
	link.download = name;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	// The browser reads the blob when the download starts; keep it a while for slow disks, then free the memory.
	setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Wires the buttons with a data-format attribute inside {@code group}; progress and results go to {@code status}. */
export function wireDownloads(group, status, person) {
	const buttons = [...group.querySelectorAll('button[data-format]')];
	for (const button of buttons) {
		button.addEventListener('click', async () => {
			const format = FORMATS[button.dataset.format];
			buttons.forEach((b) => { b.disabled = true; });
			status.textContent = `Preparing your ${format.name} file…`;
			try {
				const response = await fetch('/api/saved-tracks',
					{ headers: { Accept: format.accept, 'Cache-Control': 'max-stale' } });
				if (!response.ok) {
					const problem = await response.json().catch(() => ({}));
					status.textContent = `The download did not work: ${problemSentence(problem)}`;
					return;
				}
				const blob = await response.blob();
				const name = fileName(person(), format.extension);
				save(blob, name);
				const stale = response.headers.get('X-Library-Stale')
					? ' It is your last stored copy: Spotify could not be asked just now.' : '';
				status.textContent = `Saved ${name} (${size(blob.size)}).${stale}`;
			} catch (e) {
				status.textContent = 'The download did not work. Check your connection and try again.';
			} finally {
				buttons.forEach((b) => { b.disabled = false; });
			}
		});
	}
}
