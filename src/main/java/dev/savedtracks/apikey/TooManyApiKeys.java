package dev.savedtracks.apikey;

/** The person already holds as many API keys as allowed; one must be revoked first. */
public class TooManyApiKeys extends RuntimeException {

	TooManyApiKeys(int max) {
		super("the maximum of " + max + " API keys; revoke one first");
	}

}
