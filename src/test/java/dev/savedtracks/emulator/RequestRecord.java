package dev.savedtracks.emulator;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One tracks request as answered; offset or limit is -1 when unparsable, status is the
 * final HTTP status, userId the owner of the bearer token (null without a token the
 * emulator issued), whatever the token's state.
 */
public record RequestRecord(Instant receivedAt, int offset, int limit, int status, @Nullable String userId) {

	/** A record of a request without a known user. */
	public RequestRecord(Instant receivedAt, int offset, int limit, int status) {
		this(receivedAt, offset, limit, status, null);
	}

}
