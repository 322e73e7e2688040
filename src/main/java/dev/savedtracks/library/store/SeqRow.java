package dev.savedtracks.library.store;

/** A row and its place in its generation: a higher seq is a more recent save. */
public record SeqRow(int seq, TrackRow row) {
}
