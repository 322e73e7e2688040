package dev.savedtracks.apikey;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/** An API key as stored: its owner, a name, and the SHA-256 hash of the key, never the key itself. */
@Entity
@Table(name = "api_key")
class ApiKey {

	@Id
	@Column(name = "id")
	private String id;

	@Column(name = "account_id")
	private String accountId;

	@Column(name = "name")
	private String name;

	@Column(name = "key_hash")
	private String keyHash;

	@Column(name = "key_hint")
	private String keyHint;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "expires_at")
	private @Nullable Instant expiresAt;

	@Column(name = "last_used_at")
	private @Nullable Instant lastUsedAt;

	protected ApiKey() {
		this("", "", "", "", "", Instant.EPOCH, null);
	}

	ApiKey(String id, String accountId, String name, String keyHash, String keyHint, Instant createdAt,
			@Nullable Instant expiresAt) {
		this.id = id;
		this.accountId = accountId;
		this.name = name;
		this.keyHash = keyHash;
		this.keyHint = keyHint;
		this.createdAt = createdAt;
		this.expiresAt = expiresAt;
	}

	String id() {
		return this.id;
	}

	String accountId() {
		return this.accountId;
	}

	String name() {
		return this.name;
	}

	String keyHash() {
		return this.keyHash;
	}

	String keyHint() {
		return this.keyHint;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	@Nullable Instant expiresAt() {
		return this.expiresAt;
	}

	@Nullable Instant lastUsedAt() {
		return this.lastUsedAt;
	}

}
