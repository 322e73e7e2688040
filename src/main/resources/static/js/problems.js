// Problems (RFC 9457 bodies from the API) in plain sentences a person can act on.
const SENTENCES = {
	'reauthorization-required': 'Spotify asks you to sign in again: your access was revoked or has expired. ',
	'spotify-access-denied': 'Spotify refused access: this app is in development mode and your Spotify '
		+ 'account is not on its user list. Ask the app owner to add you.',
	'spotify-unavailable': 'Spotify is unavailable right now and no copy of your library is stored yet. '
		+ 'Try again in a few minutes.',
	'spotify-rate-limited': 'Spotify asked this service to slow down. Try again in a minute.',
	'spotify-quota-exceeded': 'This service has used up its Spotify quota. Try again later.',
};

/** The sentence for a problem body (any of whose fields may be missing). */
export function problemSentence(problem) {
	const slug = ((problem && problem.type) || '').split(':').pop();
	return SENTENCES[slug] || (problem && problem.detail) || 'Something went wrong.';
}

/** Whether the problem asks the person to sign in with Spotify again. */
export function needsSignIn(problem) {
	return ((problem && problem.type) || '').endsWith('reauthorization-required');
}
