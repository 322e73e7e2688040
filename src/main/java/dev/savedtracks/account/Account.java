package dev.savedtracks.account;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.jspecify.annotations.Nullable;

/** A person who signed in with Spotify, identified by their Spotify user id. */
@Entity
@Table(name = "account")
class Account {

	@Id
	@Column(name = "spotify_id")
	private String spotifyId;

	@Column(name = "display_name")
	private @Nullable String displayName;

	@Column(name = "reauth_required")
	private boolean reauthRequired;

	@Column(name = "created_at")
	private Instant createdAt;

	@Column(name = "updated_at")
	private Instant updatedAt;

	/** The last browser sign-in: Spotify's refresh token ends six months after it. */
	@Column(name = "authorized_at")
	private @Nullable Instant authorizedAt;

	/** The Accept-Language sent to Spotify for this person ({@link Languages}). */
	@Column(name = "accept_language")
	private @Nullable String acceptLanguage;

	protected Account() {
		this.spotifyId = "";
		this.createdAt = Instant.EPOCH;
		this.updatedAt = Instant.EPOCH;
	}

	Account(String spotifyId, Instant now) {
		this.spotifyId = spotifyId;
		this.createdAt = now;
		this.updatedAt = now;
	}

	String spotifyId() {
		return this.spotifyId;
	}

	@Nullable String displayName() {
		return this.displayName;
	}

	boolean reauthRequired() {
		return this.reauthRequired;
	}

	void signedIn(@Nullable String displayName, Instant now) {
		if (displayName != null) {
			this.displayName = displayName;
		}
		this.reauthRequired = false;
		this.updatedAt = now;
		this.authorizedAt = now;
	}

	@Nullable Instant authorizedAt() {
		return this.authorizedAt;
	}

	@Nullable String acceptLanguage() {
		return this.acceptLanguage;
	}

	/**
	 * @return whether the language changed
	 */
	boolean speaks(@Nullable String acceptLanguage, Instant now) {
		if (java.util.Objects.equals(this.acceptLanguage, acceptLanguage)) {
			return false;
		}
		this.acceptLanguage = acceptLanguage;
		this.updatedAt = now;
		return true;
	}

	void requireReauthorization(Instant now) {
		this.reauthRequired = true;
		this.updatedAt = now;
	}

}
