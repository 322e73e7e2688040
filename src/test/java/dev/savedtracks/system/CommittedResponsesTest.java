package dev.savedtracks.system;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommittedResponsesTest {

	private final CommittedResponses resolver = new CommittedResponses();

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/saved-tracks");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void failureBeforeTheAnswerBeganIsLeftToTheProblemHandlers() {
		assertThat(this.resolver.resolveException(this.request, this.response, null,
				new IllegalStateException("database down")))
			.isNull();
	}

	@Test
	void failureOfTheServicesOwnAfterTheAnswerBeganGoesOnToTheServer() {
		this.response.setCommitted(true);
		UncheckedIOException readFailed = new UncheckedIOException(new IOException("kept file unreadable"));

		assertThatThrownBy(() -> this.resolver.resolveException(this.request, this.response, null, readFailed))
			.isSameAs(readFailed);
	}

	@Test
	void clientThatWentAwayIsHandledQuietlyInsteadOfReachingTheServerAsAnError() {
		this.response.setCommitted(true);
		AsyncRequestNotUsableException gone = new AsyncRequestNotUsableException(
				"ServletOutputStream failed to write: java.io.IOException: Broken pipe",
				new IOException("Broken pipe"));

		assertThat(this.resolver.resolveException(this.request, this.response, null, gone)).isNotNull();
		assertThat(this.resolver.resolveException(this.request, this.response, null,
				new UncheckedIOException(new IOException("stream closed", gone))))
			.as("wrapped on its way out of a streamed body")
			.isNotNull();
	}

}
