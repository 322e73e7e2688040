package dev.savedtracks.apikey;

import org.springframework.http.HttpStatus;

import dev.savedtracks.system.ProblemException;

/**
 * A request to create an API key that cannot be honoured as asked (bad name or lifetime).
 */
public class InvalidApiKeyRequest extends ProblemException {

	InvalidApiKeyRequest(String message) {
		super(HttpStatus.BAD_REQUEST, "invalid-api-key-request", "Invalid API key request",
				"The API key cannot be created: " + message + ".", message, null, null);
	}

}
