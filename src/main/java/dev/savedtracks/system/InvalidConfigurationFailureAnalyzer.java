package dev.savedtracks.system;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns {@link InvalidConfiguration} into Spring Boot's start-up failure report, without
 * a stack trace.
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfiguration> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfiguration cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

}
