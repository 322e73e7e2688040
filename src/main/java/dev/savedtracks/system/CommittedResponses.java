package dev.savedtracks.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A failure after an answer began (a download whose reading failed half-way) cannot be
 * answered with a problem: writing one, or letting Spring MVC call the failure handled,
 * would end the response as if it were complete, with fewer rows than it should have.
 * This resolver, before every other, sends such a failure on to the server, which closes
 * the connection without ending the body, so the client sees a broken transfer and can
 * ask again. A client that went away (its connection failed under a write) has nothing
 * left to tell: that is handled quietly, as Spring MVC does, rather than handed to the
 * server, which would log it as an error with its stack.
 */
@Component
class CommittedResponses implements HandlerExceptionResolver, Ordered {

	private static final Log logger = LogFactory.getLog(CommittedResponses.class);

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		if (!response.isCommitted()) {
			return null;
		}
		if (clientWentAway(ex)) {
			logger.debug("Client went away during an answer: " + ex);
			return new ModelAndView();
		}
		logger.warn("Answer cut off after it began: " + ex);
		throw CommittedResponses.<RuntimeException>sneaky(ex);
	}

	/**
	 * Whether writing to the client failed: Spring MVC reports that, and only that, as
	 * {@link AsyncRequestNotUsableException}. A failure to read what was being sent (a
	 * kept file, the database) is the service's own and is cut off visibly.
	 */
	private static boolean clientWentAway(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof AsyncRequestNotUsableException) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private static <E extends Exception> E sneaky(Exception ex) throws E {
		throw (E) ex;
	}

	@Override
	public int getOrder() {
		// Right after Spring Boot's error attributes, which only record the failure.
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
