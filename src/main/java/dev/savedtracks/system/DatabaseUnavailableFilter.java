package dev.savedtracks.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns "the database is unreachable" into a fast 503 problem with {@code Retry-After},
 * wherever it surfaces: in the session filter, in authentication, or in a controller.
 * Runs first, so it also covers Spring Session. The connection pool reconnects by itself
 * once the database is back.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DatabaseUnavailableFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(DatabaseUnavailableFilter.class);

	private final JsonMapper json;

	DatabaseUnavailableFilter(JsonMapper json) {
		this.json = json;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RuntimeException | ServletException ex) {
			if (!DatabaseFailures.isDatabaseDown(ex) || response.isCommitted()) {
				throw ex;
			}
			logger.warn("Database unavailable: " + ex.getClass().getSimpleName());
			response.reset();
			response.setHeader("Retry-After", "5");
			Problems.write(response, Problems.databaseUnavailable(), this.json);
		}
	}

}
