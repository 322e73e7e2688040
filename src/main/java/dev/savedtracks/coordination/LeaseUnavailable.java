package dev.savedtracks.coordination;

/** The lease stayed taken for longer than the caller could wait. */
public class LeaseUnavailable extends RuntimeException {

	LeaseUnavailable(String name) {
		super("lease " + name + " is held by another replica");
	}

}
