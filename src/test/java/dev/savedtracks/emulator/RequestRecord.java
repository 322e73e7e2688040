package dev.savedtracks.emulator;

import java.time.Instant;

/** One tracks request as answered; offset or limit is -1 when unparsable, status is the final HTTP status. */
public record RequestRecord(Instant receivedAt, int offset, int limit, int status) {
}
