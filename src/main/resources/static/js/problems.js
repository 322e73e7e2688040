// Problems (RFC 9457 bodies from the API) in plain sentences a person can act on.
const SENTENCES = {
	'reauthorization-required': 'Spotify asks you to sign in again: your access was revoked or has expired. ',
	'spotify-access-denied': 'Spotify refused access: this app is in development mode and your Spotify '
		+ 'account is not on its user list. Ask the app owner to add you.',
	'spotify-unavailable': 'Spotify is unavailable right now and no copy of your library is stored yet. '
		+ 'Try again in a few minutes.',
	'spotify-rate-limited': 'Spotify asked this service to slow down. Try again in a minute.',
	'spotify-quota-exceeded': 'This service has used up its Spotify quota. Try again later.',
	'sync-in-progress': 'Your library is being synced with Spotify and that is taking a while. Try again in a moment.',
	'library-changing': 'Your library kept changing while it was being read. Try again in a moment.',
	'sync-failed': 'Your library could not be synced just now. It is tried again shortly.',
	'too-many-downloads': 'You already have downloads of your library running; wait for one to finish.',
	'busy': 'The service is busy right now. Try again in a few seconds.',
};

/** Why Spotify refused access, by the problem's reason (or the stale reason's detail from /api/me). */
const ACCESS_DENIED = {
	'user-not-registered': 'Spotify refused access: this app is in development mode and your Spotify account is not '
		+ 'on its User Management list. Retrying will not help: the app\'s owner must add you (at most 5 people) '
		+ 'or get extended quota.',
	'owner-premium-required': 'Spotify refused access for everyone using this app: its owner\'s Spotify Premium '
		+ 'has lapsed, which development-mode apps require. The app\'s owner must renew it.',
};

/** What a copy marked with X-Library-Stale: reason means, before "showing your last copy from …". */
const STALE = {
	'spotify-unavailable': 'Spotify is unavailable',
	'spotify-rate-limited': 'Spotify asked this service to slow down',
	'spotify-quota-exceeded': 'This service has used up its Spotify quota',
	'spotify-access-denied': 'Spotify refused access to your library',
	'spotify-owner-premium-required': "Spotify refuses everyone using this app until its owner renews Spotify Premium",
	'library-changing': 'Your library kept changing while it was read',
	'sync-in-progress': 'Your library is still being synced',
	'sync-failed': 'The last sync failed and is tried again shortly',
};

/** The sentence for a copy served stale, with the time it is from. */
export function staleSentence(reason, since) {
	return `${STALE[reason] || 'Your library could not be confirmed with Spotify'}; showing your last copy from ${since}.`;
}

/** The sentence for a problem body (any of whose fields may be missing). */
export function problemSentence(problem) {
	const slug = ((problem && problem.type) || '').split(':').pop();
	if (slug === 'spotify-access-denied' && ACCESS_DENIED[problem.reason]) return ACCESS_DENIED[problem.reason];
	return SENTENCES[slug] || (problem && problem.detail) || 'Something went wrong.';
}

/** Whether the problem asks the person to sign in with Spotify again. */
export function needsSignIn(problem) {
	return ((problem && problem.type) || '').endsWith('reauthorization-required');
}
