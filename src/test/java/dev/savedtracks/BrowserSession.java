package dev.savedtracks;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A real HTTP client with a cookie jar that follows redirects the way a browser does,
 * recording every hop, so tests drive sign-in through the real filter chain and the
 * emulator's consent page.
 */
public final class BrowserSession {

	private static final Pattern HIDDEN = Pattern
		.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

	private static final Pattern FORM_ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<URI> hops = java.util.Collections.synchronizedList(new ArrayList<>());

	private final String appUrl;

	private volatile @Nullable String acceptLanguage;

	public BrowserSession(String appUrl) {
		this.appUrl = appUrl;
	}

	/**
	 * Sends {@code Accept-Language: acceptLanguage} with every request, as a browser
	 * does.
	 */
	public BrowserSession language(String acceptLanguage) {
		this.acceptLanguage = acceptLanguage;
		return this;
	}

	/** Every URL requested so far, in order, including redirects. */
	public List<URI> hops() {
		return this.hops;
	}

	public String appUrl() {
		return this.appUrl;
	}

	/**
	 * Signs in as {@code username} by consenting on the emulator's page; returns the page
	 * we land on.
	 */
	public HttpResponse<String> signIn(String username) {
		HttpResponse<String> consent = navigate(this.appUrl + "/oauth2/authorization/spotify");
		return submitConsent(consent, username, "accept");
	}

	/**
	 * Submits the emulator's consent form with the given button, following redirects back
	 * to the app.
	 */
	public HttpResponse<String> submitConsent(HttpResponse<String> consentPage, String username, String action) {
		return follow(consent(consentPage, username, action));
	}

	/**
	 * Submits the emulator's consent form and returns its answer, the redirect to the
	 * callback, unfollowed.
	 */
	public HttpResponse<String> consent(HttpResponse<String> consentPage, String username, String action) {
		Map<String, String> form = new LinkedHashMap<>();
		Matcher hidden = HIDDEN.matcher(consentPage.body());
		while (hidden.find()) {
			form.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
		}
		form.put("username", username);
		form.put("action", action);
		Matcher action_ = FORM_ACTION.matcher(consentPage.body());
		if (!action_.find()) {
			throw new IllegalStateException("no consent form in: " + consentPage.body());
		}
		HttpRequest post = HttpRequest.newBuilder(URI.create(unescape(action_.group(1))))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "text/html")
			.POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
			.build();
		return send(post);
	}

	/** A browser navigation: GET with an HTML Accept header, following redirects. */
	public HttpResponse<String> navigate(String url) {
		return follow(send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET().build()));
	}

	/** A single GET with the given Accept header, not following redirects. */
	public HttpResponse<String> get(String pathOrUrl, String accept) {
		return send(HttpRequest.newBuilder(resolve(pathOrUrl)).header("Accept", accept).GET().build());
	}

	/** An API call as a program would make it (JSON accepted). */
	public HttpResponse<String> api(String path) {
		return get(path, "application/json");
	}

	/**
	 * A state-changing call as the page's JavaScript makes it: JSON, with the CSRF cookie
	 * echoed in a header.
	 */
	public HttpResponse<String> write(String method, String path, String jsonBody) {
		HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.method(method, jsonBody.isEmpty() ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(jsonBody));
		cookie("XSRF-TOKEN").ifPresent(token -> request.header("X-XSRF-TOKEN", token));
		return send(request.build());
	}

	/**
	 * The same calls sent at the same moment, each from a thread of its own, one per
	 * body; the answers, in the order of the bodies.
	 */
	public List<HttpResponse<String>> writeAtOnce(String method, String path, List<String> jsonBodies) {
		ExecutorService threads = Executors.newFixedThreadPool(jsonBodies.size());
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<CompletableFuture<HttpResponse<String>>> answers = jsonBodies.stream()
				.map(body -> CompletableFuture.supplyAsync(() -> {
					awaitQuietly(start);
					return write(method, path, body);
				}, threads))
				.toList();
			start.countDown();
			return answers.stream().map(CompletableFuture::join).toList();
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The same call without the CSRF header, as a forged cross-site request would arrive.
	 */
	public HttpResponse<String> writeWithoutCsrf(String method, String path, String jsonBody) {
		return send(HttpRequest.newBuilder(resolve(path))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(jsonBody))
			.build());
	}

	/** A call as another service makes it: an API key, no cookies of this session. */
	public static HttpResponse<String> withKey(String url, String key, String method, String accept,
			String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
			.header("Authorization", "Bearer " + key)
			.header("Accept", accept)
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public HttpResponse<String> send(HttpRequest original) {
		// A hung server must fail the test, not the build: no request waits longer than
		// this.
		HttpRequest.Builder builder = HttpRequest.newBuilder(original, (name, value) -> true)
			.timeout(Duration.ofSeconds(60));
		String language = this.acceptLanguage;
		if (language != null && original.headers().firstValue("Accept-Language").isEmpty()) {
			builder.header("Accept-Language", language);
		}
		HttpRequest request = builder.build();
		this.hops.add(request.uri());
		try {
			try {
				return this.client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				if (!closedBeforeAnswering(ex) || isApplication(request.uri())) {
					throw ex;
				}
				// A kept-alive connection that Spotify's side (the emulator's server
				// keeps
				// at most 200 idle) closed just before this request reused it: a browser
				// sends the request again on a new connection, whatever its method. The
				// application's own answers are never retried, so that a connection it
				// closes without answering stays visible to the tests.
				return this.client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private boolean isApplication(URI uri) {
		URI app = URI.create(this.appUrl);
		return uri.getPort() == app.getPort() && uri.getHost().equals(app.getHost());
	}

	private static boolean closedBeforeAnswering(IOException ex) {
		String message = ex.getMessage();
		return message != null && message.contains("received no bytes");
	}

	public Optional<String> cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter(c -> c.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst();
	}

	private HttpResponse<String> follow(HttpResponse<String> response) {
		HttpResponse<String> current = response;
		for (int i = 0; i < 10 && current.statusCode() / 100 == 3; i++) {
			String location = current.headers().firstValue("Location").orElseThrow();
			URI next = current.uri().resolve(location);
			current = send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build());
		}
		return current;
	}

	private URI resolve(String pathOrUrl) {
		return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : this.appUrl + pathOrUrl);
	}

	private static String formEncode(Map<String, String> form) {
		return form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static String unescape(String html) {
		return html.replace("&quot;", "\"")
			.replace("&#39;", "'")
			.replace("&lt;", "<")
			.replace("&gt;", ">")
			.replace("&amp;", "&");
	}

}
