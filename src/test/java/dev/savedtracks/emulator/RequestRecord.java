package dev.savedtracks.emulator;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One tracks request as answered; offset or limit is -1 when unparsable, status is the
 * final HTTP status, userId the owner of the bearer token (null without a token the
 * emulator issued), whatever the token's state; answeredAt when the emulator had written
 * its answer (null while it is being written), so that a benchmark sees how long a client
 * took between an answer and its next request.
 */
public record RequestRecord(Instant receivedAt, int offset, int limit, int status, @Nullable String userId,
		@Nullable Instant answeredAt) {

	/** A record of a request, its answer not yet written. */
	public RequestRecord(Instant receivedAt, int offset, int limit, int status, @Nullable String userId) {
		this(receivedAt, offset, limit, status, userId, null);
	}

	/** A record of a request without a known user. */
	public RequestRecord(Instant receivedAt, int offset, int limit, int status) {
		this(receivedAt, offset, limit, status, null, null);
	}

}
