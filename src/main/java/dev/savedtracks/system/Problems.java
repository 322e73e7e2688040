package dev.savedtracks.system;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The problem types this service answers with, and a way to write one outside Spring MVC
 * (security filters).
 */
public final class Problems {

	private Problems() {
	}

	public static ProblemDetail of(HttpStatus status, String slug, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type(slug));
		problem.setTitle(title);
		return problem;
	}

	/**
	 * The database cannot be reached: the same answer from the filter and from the
	 * controller advice.
	 */
	static ProblemDetail databaseUnavailable() {
		return of(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Service temporarily unavailable",
				"The service cannot get a database connection right now: the database is down or every connection is "
						+ "busy. Try again in a few seconds.");
	}

	public static URI type(String slug) {
		return URI.create("urn:problem-type:saved-tracks:" + slug);
	}

	public static void write(HttpServletResponse response, ProblemDetail problem, JsonMapper json) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		json.writeValue(response.getOutputStream(), problem);
	}

}
