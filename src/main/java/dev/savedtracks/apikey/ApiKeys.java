package dev.savedtracks.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.savedtracks.account.AccountDirectory;
import dev.savedtracks.account.ReauthorizationRequired;
import dev.savedtracks.system.Sha256;

/**
 * Creates, lists, revokes and checks API keys. A key is {@value #PREFIX} followed by 256
 * random bits (base64url); only its SHA-256 hash is stored (in {@code api_key}, read and
 * written with plain JDBC). A slow password hash would add nothing: the key has full
 * entropy, so the hash cannot be brute-forced, and a fast hash lets each request look its
 * key up by an index.
 */
@Service
class ApiKeys {

	static final String PREFIX = "sts_";

	private static final int KEY_BYTES = 32;

	private static final int KEY_LENGTH = PREFIX.length() + 43;

	private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

	private final SecureRandom random = new SecureRandom();

	private final JdbcClient jdbc;

	private final ApiKeySettings settings;

	private final Clock clock;

	private final AccountDirectory accounts;

	ApiKeys(JdbcClient jdbc, ApiKeySettings settings, Clock clock, AccountDirectory accounts) {
		this.accounts = accounts;
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	@Transactional
	ApiKeyCreated create(String accountId, String name, @Nullable Integer expiresInDays) {
		String cleanName = name.strip();
		if (cleanName.isEmpty() || cleanName.length() > 100 || cleanName.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidApiKeyRequest("name must be 1 to 100 printable characters");
		}
		Duration lifetime = lifetime(expiresInDays);
		// Serialises key creation per person: parallel requests must not all pass the
		// count below.
		if (!this.accounts.lock(accountId)) {
			throw new ReauthorizationRequired(accountId);
		}
		Integer held = this.jdbc.sql("select count(*) from api_key where account_id = ?")
			.param(accountId)
			.query(Integer.class)
			.single();
		if (held != null && held >= this.settings.maxPerAccount()) {
			throw new TooManyApiKeys(this.settings.maxPerAccount());
		}
		byte[] secret = new byte[KEY_BYTES];
		this.random.nextBytes(secret);
		String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant expiresAt = lifetime.isZero() ? null : now.plus(lifetime);
		String id = UUID.randomUUID().toString();
		this.jdbc
			.sql("insert into api_key (id, account_id, name, key_hash, key_hint, created_at, expires_at) "
					+ "values (?, ?, ?, ?, ?, ?, ?)")
			.params(id, accountId, cleanName, hash(key), key.substring(0, PREFIX.length() + 4) + "…",
					Timestamp.from(now), (expiresAt != null) ? Timestamp.from(expiresAt) : null)
			.update();
		return new ApiKeyCreated(id, cleanName, key, now, expiresAt);
	}

	List<ApiKeyView> list(String accountId) {
		return this.jdbc
			.sql("select id, name, key_hint, created_at, expires_at, last_used_at from api_key where account_id = ? "
					+ "order by created_at desc, id")
			.param(accountId)
			.query((rs, i) -> new ApiKeyView(rs.getString(1), rs.getString(2), rs.getString(3),
					Objects.requireNonNull(instant(rs.getObject(4, OffsetDateTime.class))),
					instant(rs.getObject(5, OffsetDateTime.class)), instant(rs.getObject(6, OffsetDateTime.class))))
			.list();
	}

	boolean revoke(String accountId, String id) {
		return this.jdbc.sql("delete from api_key where id = ? and account_id = ?").params(id, accountId).update() > 0;
	}

	/** The account a presented key belongs to, if the key exists and has not expired. */
	Optional<String> authenticate(String presented) {
		if (!presented.startsWith(PREFIX) || presented.length() != KEY_LENGTH) {
			return Optional.empty();
		}
		String hash = hash(presented);
		Optional<Presented> found = lookUp(hash);
		if (found.isEmpty() || !MessageDigest.isEqual(found.get().keyHash().getBytes(StandardCharsets.US_ASCII),
				hash.getBytes(StandardCharsets.US_ASCII))) {
			return Optional.empty();
		}
		Presented key = found.get();
		Instant now = this.clock.instant();
		if (key.expiresAt() != null && !now.isBefore(key.expiresAt())) {
			return Optional.empty();
		}
		// Written at most once a minute per key, so busy callers do not turn every read
		// into a write.
		if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USED_RESOLUTION).isBefore(now)) {
			this.jdbc.sql("update api_key set last_used_at = ? where id = ?")
				.params(Timestamp.from(now.truncatedTo(ChronoUnit.SECONDS)), key.id())
				.update();
		}
		return Optional.of(key.accountId());
	}

	/**
	 * One indexed query: it runs on every API call. Nothing is cached, so a revoked key
	 * stops working at once on every replica.
	 */
	private Optional<Presented> lookUp(String hash) {
		return this.jdbc
			.sql("select id, account_id, key_hash, expires_at, last_used_at from api_key where key_hash = ?")
			.param(hash)
			.query((rs, i) -> new Presented(rs.getString(1), rs.getString(2), rs.getString(3),
					instant(rs.getObject(4, OffsetDateTime.class)), instant(rs.getObject(5, OffsetDateTime.class))))
			.optional();
	}

	private static @Nullable Instant instant(@Nullable OffsetDateTime value) {
		return (value != null) ? value.toInstant() : null;
	}

	private Duration lifetime(@Nullable Integer expiresInDays) {
		if (expiresInDays == null) {
			return this.settings.defaultLifetime();
		}
		Duration chosen = Duration.ofDays(expiresInDays);
		if (expiresInDays < 1 || chosen.compareTo(this.settings.maxLifetime()) > 0) {
			throw new InvalidApiKeyRequest("expiresInDays must be from 1 to " + this.settings.maxLifetime().toDays());
		}
		return chosen;
	}

	static String hash(String key) {
		// A key is ASCII: as UTF-8 its bytes are the same.
		return HexFormat.of().formatHex(Sha256.digest(key));
	}

	/** What authenticating a presented key needs of its stored row. */
	private record Presented(String id, String accountId, String keyHash, @Nullable Instant expiresAt,
			@Nullable Instant lastUsedAt) {
	}

	/** A new key: the only time its value is ever shown. */
	record ApiKeyCreated(String id, String name, String key, Instant createdAt, @Nullable Instant expiresAt) {
	}

	/** A key as listed: no secret, only a hint of its first characters. */
	record ApiKeyView(String id, String name, String hint, Instant createdAt, @Nullable Instant expiresAt,
			@Nullable Instant lastUsedAt) {
	}

}
