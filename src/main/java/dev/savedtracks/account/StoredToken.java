package dev.savedtracks.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/**
 * A person's Spotify tokens as stored: every token value is ciphertext from
 * {@link TokenCipher}.
 */
@Entity
@Table(name = "spotify_token")
class StoredToken {

	@Id
	@Column(name = "account_id")
	private String accountId;

	@Column(name = "access_token")
	private String accessToken;

	@Column(name = "access_issued_at")
	private @Nullable Instant accessIssuedAt;

	@Column(name = "access_expires_at")
	private @Nullable Instant accessExpiresAt;

	@Column(name = "refresh_token")
	private @Nullable String refreshToken;

	@Column(name = "scopes")
	private String scopes;

	@Column(name = "updated_at")
	private Instant updatedAt;

	protected StoredToken() {
		this.accountId = "";
		this.accessToken = "";
		this.scopes = "";
		this.updatedAt = Instant.EPOCH;
	}

	StoredToken(String accountId) {
		this();
		this.accountId = accountId;
	}

	void update(String accessToken, @Nullable Instant issuedAt, @Nullable Instant expiresAt,
			@Nullable String refreshToken, String scopes, Instant now) {
		this.accessToken = accessToken;
		this.accessIssuedAt = issuedAt;
		this.accessExpiresAt = expiresAt;
		this.refreshToken = refreshToken;
		this.scopes = scopes;
		this.updatedAt = now;
	}

	String accountId() {
		return this.accountId;
	}

	String accessToken() {
		return this.accessToken;
	}

	@Nullable Instant accessIssuedAt() {
		return this.accessIssuedAt;
	}

	@Nullable Instant accessExpiresAt() {
		return this.accessExpiresAt;
	}

	@Nullable String refreshToken() {
		return this.refreshToken;
	}

	String scopes() {
		return this.scopes;
	}

}
