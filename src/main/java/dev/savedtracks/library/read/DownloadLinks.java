package dev.savedtracks.library.read;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Service;

import dev.savedtracks.library.Library;
import dev.savedtracks.library.store.DownloadLinkTable;
import dev.savedtracks.system.Sha256;

/**
 * Short-lived links to download a person's whole library without a credential of their
 * own: for an agent that should hand the person (or fetch) a file rather than read
 * megabytes of CSV into its context. A link is {@value #PATH}{token}: 256 random bits, of
 * which only the SHA-256 hash is stored (a fast hash is enough for a full-entropy token).
 * It opens one person's library in one format, for
 * {@code LIBRARY_DOWNLOAD_LINK_LIFETIME}, on any replica, through the same download
 * budgets as {@code GET /api/saved-tracks}; "delete my data" removes it.
 */
@Service
public class DownloadLinks {

	/** Where links point, followed by the token. */
	public static final String PATH = "/downloads/";

	private static final SecureRandom random = new SecureRandom();

	private final DownloadLinkTable table;

	private final Settings settings;

	private final Clock clock;

	DownloadLinks(DownloadLinkTable table, Settings settings, Clock clock) {
		this.table = table;
		this.settings = settings;
		this.clock = clock;
	}

	Library.DownloadLink create(String accountId, String format) {
		byte[] bits = new byte[32];
		random.nextBytes(bits);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.settings.lifetime());
		this.table.insert(Sha256.base64Url(token), accountId, format, expiresAt, now);
		return new Library.DownloadLink(PATH + token, format, expiresAt);
	}

	/** Whose library {@code token} opens, and in which format, while it is valid. */
	public Optional<Opened> open(String token) {
		if (token.length() != 43) {
			return Optional.empty();
		}
		return this.table.find(Sha256.base64Url(token), this.clock.instant())
			.map(link -> new Opened(link.accountId(), link.format()));
	}

	/** Whose library a valid link opens, and in which format. */
	public record Opened(String accountId, String format) {
	}

	/** How long a download link works ({@code LIBRARY_DOWNLOAD_LINK_LIFETIME}). */
	@ConfigurationProperties("library.download-links")
	record Settings(@DefaultValue("15m") Duration lifetime) {
	}

}
