package dev.savedtracks.apikey;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;

/** The person already holds as many API keys as allowed; one must be revoked first. */
public class TooManyApiKeys extends ProblemException {

	TooManyApiKeys(int max) {
		super(HttpStatus.CONFLICT, "too-many-api-keys", "Too many API keys",
				"You hold the maximum of " + max + " API keys; revoke one first.", "too many API keys", null, null);
	}

}
