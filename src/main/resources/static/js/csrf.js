// Spring Security's cookie CSRF convention: echo the XSRF-TOKEN cookie in the X-XSRF-TOKEN header.
export function csrfToken() {
	const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
	return match ? decodeURIComponent(match.split('=')[1]) : '';
}
