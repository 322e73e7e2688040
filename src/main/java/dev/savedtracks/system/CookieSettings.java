package dev.savedtracks.system;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether the browser's cookies (the session's and the CSRF token's) are always marked
 * {@code Secure}. By default they are marked so exactly when the request came over HTTPS,
 * directly or, with forwarded headers trusted, through a proxy that says so in
 * {@code X-Forwarded-Proto}; {@code secure} forces it for deployments reached only over
 * HTTPS whose proxy does not say so.
 */
@ConfigurationProperties("cookies")
record CookieSettings(@DefaultValue("false") boolean secure) {
}
