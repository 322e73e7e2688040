package dev.savedtracks.apikey;

/** A request to create an API key that cannot be honoured as asked (bad name or lifetime). */
public class InvalidApiKeyRequest extends RuntimeException {

	InvalidApiKeyRequest(String message) {
		super(message);
	}

}
