package dev.savedtracks.coordination;

/**
 * A holder's lease lapsed or was taken over while it worked: what it was about to write
 * must not be written.
 */
public class LeaseLost extends RuntimeException {

	LeaseLost(String name) {
		super("lease " + name + " is no longer held");
	}

}
