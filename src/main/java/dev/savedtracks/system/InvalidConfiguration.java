package dev.savedtracks.system;

/**
 * The service cannot start with the configuration it was given. Reported by
 * {@link InvalidConfigurationFailureAnalyzer} as one clear line naming the variables to
 * set.
 */
public class InvalidConfiguration extends RuntimeException {

	private final String action;

	public InvalidConfiguration(String description, String action) {
		super(description);
		this.action = action;
	}

	public String action() {
		return this.action;
	}

}
