package dev.savedtracks.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * Spotify's accounts service and Web API on a loopback port, with users, faults and
 * counters under test control.
 */
public final class SpotifyEmulator implements AutoCloseable {

	/**
	 * The scope the saved-tracks service needs; tokens issued by the test helpers carry
	 * it.
	 */
	static final String LIBRARY_SCOPE = "user-library-read";

	private final HttpServer server;

	private final ThreadPoolExecutor executor;

	private final int port;

	private final String clientId = "emulator-client-id";

	private final String clientSecret = "emulator-client-secret";

	private final Set<String> redirectUris = ConcurrentHashMap.newKeySet();

	private final Map<String, EmulatedUser> users = new ConcurrentHashMap<>();

	private final Map<String, AuthorizationCode> codes = new ConcurrentHashMap<>();

	private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();

	private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();

	private final Faults faults = new Faults();

	private final Counters counters = new Counters();

	private final RateLimiter rateLimiter = new RateLimiter();

	private volatile Duration accessTokenLifetime = Duration.ofHours(1);

	private volatile Duration refreshTokenLifetime = Duration.ofDays(182);

	private volatile boolean rotateRefreshTokens;

	private volatile int defaultLibrarySize;

	private volatile Duration latency = Duration.ZERO;

	private volatile Duration tokenLatency = Duration.ZERO;

	private volatile boolean ownerPremiumLapsed;

	/**
	 * Names as Spotify gives them by language: the name sent without a matching
	 * {@code Accept-Language} (transliterated or English), to its name per language tag.
	 */
	private final Map<String, Map<String, String>> localizedNames = new java.util.concurrent.ConcurrentHashMap<>();

	/** The address it listens on and names in its URLs. */
	private final String host;

	private SpotifyEmulator(String host, int port) {
		this.host = host;
		AtomicInteger threads = new AtomicInteger();
		// Enough threads that many concurrent requests sleeping in injected latency
		// really run in parallel.
		this.executor = new ThreadPoolExecutor(256, 256, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "spotify-emulator-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
		}
		catch (IOException ex) {
			this.executor.shutdownNow();
			throw new UncheckedIOException("cannot bind the Spotify emulator to " + host + ":" + port, ex);
		}
		// Known once bound; the handlers build absolute URLs from it, so it must be set
		// before they are created.
		this.port = this.server.getAddress().getPort();
		this.server.createContext("/accounts", new AccountsHandler(this));
		WebApiHandler webApi = new WebApiHandler(this);
		this.server.createContext("/webapi", webApi);
		// Also at the root, as on api.spotify.com, for client libraries that cannot take
		// a base path (the
		// benchmark's spotify-web-api-java peer).
		this.server.createContext("/v1", webApi);
		this.server.createContext("/", WebApiHandler::serviceNotFound);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/** Starts an emulator on 127.0.0.1 and a random free port. */
	public static SpotifyEmulator start() {
		return start(0);
	}

	/** Starts an emulator on 127.0.0.1 and the given port (0 picks a free one). */
	public static SpotifyEmulator start(int port) {
		return new SpotifyEmulator("127.0.0.1", port);
	}

	/**
	 * Starts an emulator on another address of this machine (and a free port), for
	 * clients that cannot reach its loopback: containers.
	 */
	public static SpotifyEmulator startOn(String host) {
		return new SpotifyEmulator(host, 0);
	}

	public int port() {
		return this.port;
	}

	/**
	 * Base URL of the accounts service: {@code /authorize} and {@code /api/token} live
	 * below it.
	 */
	public String accountsUrl() {
		return "http://" + this.host + ":" + this.port + "/accounts";
	}

	/**
	 * Base URL of the Web API: {@code /v1/me} and {@code /v1/me/tracks} live below it.
	 */
	public String apiUrl() {
		return "http://" + this.host + ":" + this.port + "/webapi";
	}

	public String clientId() {
		return this.clientId;
	}

	public String clientSecret() {
		return this.clientSecret;
	}

	/**
	 * Registers a redirect URI; authorization requests must use a registered one exactly.
	 */
	public SpotifyEmulator allowRedirectUri(String uri) {
		this.redirectUris.add(Objects.requireNonNull(uri, "uri"));
		return this;
	}

	/**
	 * Lifetime of access tokens issued from now on; expires_in reports it in whole
	 * seconds, at least 1.
	 */
	public SpotifyEmulator accessTokenLifetime(Duration lifetime) {
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("lifetime must be positive");
		}
		this.accessTokenLifetime = lifetime;
		return this;
	}

	/**
	 * Lifetime of refresh tokens counted from the user's authorization (default six
	 * months, as since mid 2026); refreshing, even with rotation, does not extend it.
	 */
	public SpotifyEmulator refreshTokenLifetime(Duration lifetime) {
		if (lifetime.isNegative() || lifetime.isZero()) {
			throw new IllegalArgumentException("lifetime must be positive");
		}
		this.refreshTokenLifetime = lifetime;
		return this;
	}

	/**
	 * Whether refreshing answers a new refresh token (invalidating the old one) or none
	 * at all (the default).
	 */
	public SpotifyEmulator rotateRefreshTokens(boolean rotate) {
		this.rotateRefreshTokens = rotate;
		return this;
	}

	/**
	 * Size of the generated library of users first created by signing in on the consent
	 * page.
	 */
	public SpotifyEmulator defaultLibrarySize(int size) {
		if (size < 0) {
			throw new IllegalArgumentException("size must not be negative");
		}
		this.defaultLibrarySize = size;
		return this;
	}

	/** Delay before answering every Web API request. */
	public SpotifyEmulator latency(Duration latency) {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative");
		}
		this.latency = latency;
		return this;
	}

	/**
	 * Delay before answering every {@code POST /api/token}, e.g. to act while a token
	 * refresh is in flight.
	 */
	public SpotifyEmulator tokenLatency(Duration latency) {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("latency must not be negative");
		}
		this.tokenLatency = latency;
		return this;
	}

	/**
	 * The development-mode app's owner lost Premium: while lapsed, every Web API request
	 * with a valid token, of every user, answers 403 "Active premium subscription
	 * required for the owner of the app."
	 */
	public SpotifyEmulator ownerPremiumLapsed(boolean lapsed) {
		this.ownerPremiumLapsed = lapsed;
		return this;
	}

	/**
	 * Spotify's app-wide limit over a rolling window (30 s for real): across all Web API
	 * requests of all users, a request that would make more than {@code requests} within
	 * the last {@code window} answers 429 with {@code Retry-After} set to the whole
	 * seconds (rounded up, at least 1) until the oldest request in the window leaves it.
	 * Refused requests do not count, consume no fault and run no hook;
	 * {@link Counters#rateLimitedRequests()} counts them. Counting starts afresh with
	 * every call; {@code requests} 0 turns the limit off.
	 */
	public SpotifyEmulator rateLimit(int requests, Duration window) {
		this.rateLimiter.configure(requests, window);
		return this;
	}

	/** Turns the app-wide rate limit off, as it is by default. */
	public SpotifyEmulator noRateLimit() {
		this.rateLimiter.configure(0, Duration.ZERO);
		return this;
	}

	/** The user with this id, created with an empty library if unknown. */
	public EmulatedUser user(String id) {
		return this.users.computeIfAbsent(id, EmulatedUser::new);
	}

	public Optional<EmulatedUser> findUser(String id) {
		return Optional.ofNullable(this.users.get(id));
	}

	public Faults faults() {
		return this.faults;
	}

	public Counters counters() {
		return this.counters;
	}

	/**
	 * A valid user-library-read access token for the user (created if unknown), as the
	 * token endpoint issues.
	 */
	public String issueAccessToken(String userId) {
		EmulatedUser user = user(userId);
		issueRefreshToken(user, LIBRARY_SCOPE);
		return issueAccessToken(user, LIBRARY_SCOPE);
	}

	/**
	 * A valid refresh token for the user (created if unknown) with scope
	 * user-library-read.
	 */
	public String issueRefreshToken(String userId) {
		return issueRefreshToken(user(userId), LIBRARY_SCOPE);
	}

	/**
	 * Makes every access token issued so far expired; tokens issued afterwards are fresh.
	 */
	public void expireAccessTokens() {
		this.accessTokens.replaceAll((token, issued) -> issued.expired());
	}

	/**
	 * Makes every refresh token issued so far expired, as six months after authorization;
	 * refresh then fails.
	 */
	public void expireRefreshTokens() {
		this.refreshTokens.replaceAll((token, issued) -> issued.expired());
	}

	/** Stops the server at once; requests in flight are cut off. */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	boolean isClient(String id, String secret) {
		return this.clientId.equals(id) && this.clientSecret.equals(secret);
	}

	boolean isRegisteredRedirectUri(String uri) {
		return this.redirectUris.contains(uri);
	}

	/**
	 * The user signing in on the consent page: created with the default library size when
	 * new.
	 */
	EmulatedUser userSigningIn(String id) {
		int size = this.defaultLibrarySize;
		return this.users.computeIfAbsent(id, (newId) -> new EmulatedUser(newId).generateLibrary(size));
	}

	String createAuthorizationCode(EmulatedUser user, String redirectUri, String scope,
			@Nullable String codeChallenge) {
		// No AQ prefix: tests grep for AQ to find refresh tokens, and codes are not
		// refresh tokens.
		String code = Ids.token("", 96);
		this.codes.put(code, new AuthorizationCode(this.clientId, redirectUri, scope, user.id(), codeChallenge,
				Instant.now().plus(Duration.ofMinutes(10)), user.grantEpoch()));
		return code;
	}

	/**
	 * Removes and returns the code, so that it can be exchanged once at most; null if
	 * unknown, used or stale.
	 */
	@Nullable AuthorizationCode redeemAuthorizationCode(String code) {
		AuthorizationCode redeemed = this.codes.remove(code);
		if (redeemed == null || !Instant.now().isBefore(redeemed.expiresAt())) {
			return null;
		}
		EmulatedUser user = this.users.get(redeemed.userId());
		if (user == null || user.grantEpoch() != redeemed.epoch()) {
			return null;
		}
		return redeemed;
	}

	String issueAccessToken(EmulatedUser user, String scope) {
		String token = Ids.token("BQ", 96);
		this.accessTokens.put(token,
				new AccessToken(user.id(), scope, Instant.now().plus(this.accessTokenLifetime), user.grantEpoch()));
		return token;
	}

	String issueRefreshToken(EmulatedUser user, String scope) {
		return issueRefreshToken(user, scope, Instant.now().plus(this.refreshTokenLifetime));
	}

	/**
	 * A refresh token expiring at a given time: a rotated token keeps its authorization's
	 * expiry.
	 */
	String issueRefreshToken(EmulatedUser user, String scope, Instant expiresAt) {
		String token = Ids.token("AQ", 96);
		this.refreshTokens.put(token, new RefreshToken(user.id(), scope, user.grantEpoch(), expiresAt));
		return token;
	}

	long accessTokenLifetimeSeconds() {
		return Math.max(1, this.accessTokenLifetime.toSeconds());
	}

	boolean rotatesRefreshTokens() {
		return this.rotateRefreshTokens;
	}

	/**
	 * The refresh token's grant if it is known and not revoked by its user; it may have
	 * expired.
	 */
	@Nullable RefreshToken validRefreshToken(String token) {
		RefreshToken grant = this.refreshTokens.get(token);
		if (grant == null) {
			return null;
		}
		EmulatedUser user = this.users.get(grant.userId());
		if (user == null || user.grantEpoch() != grant.epoch()) {
			this.refreshTokens.remove(token);
			return null;
		}
		return grant;
	}

	/**
	 * Invalidates a rotated refresh token; false if another request already rotated it.
	 */
	boolean invalidateRefreshToken(String token) {
		return this.refreshTokens.remove(token) != null;
	}

	@Nullable AccessToken accessToken(String token) {
		return this.accessTokens.get(token);
	}

	@Nullable EmulatedUser existingUser(String id) {
		return this.users.get(id);
	}

	Duration latency() {
		return this.latency;
	}

	Duration tokenLatency() {
		return this.tokenLatency;
	}

	/**
	 * Names {@code name} (a track's or an artist's, as sent to a client that asks in no
	 * particular language: transliterated or in English) {@code localized} for clients
	 * whose {@code Accept-Language} prefers {@code language} (a tag such as {@code ja};
	 * {@code ja-JP} matches it too), as Spotify does for non-Latin names.
	 */
	public SpotifyEmulator localize(String name, String language, String localized) {
		this.localizedNames.computeIfAbsent(name, (n) -> new java.util.concurrent.ConcurrentHashMap<>())
			.put(language.toLowerCase(java.util.Locale.ROOT), localized);
		return this;
	}

	/**
	 * {@code name} as Spotify sends it to a client asking in {@code acceptLanguage}: in
	 * the first of its languages that has a name of its own, else as it is.
	 */
	String localized(String name, @Nullable String acceptLanguage) {
		Map<String, String> names = this.localizedNames.get(name);
		if (names == null || acceptLanguage == null || acceptLanguage.isBlank()) {
			return name;
		}
		try {
			for (java.util.Locale.LanguageRange range : java.util.Locale.LanguageRange.parse(acceptLanguage)) {
				String tag = range.getRange().toLowerCase(java.util.Locale.ROOT);
				String primary = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
				String localized = names.getOrDefault(tag, names.get(primary));
				if (localized != null && range.getWeight() > 0) {
					return localized;
				}
			}
		}
		catch (IllegalArgumentException ex) {
			// Spotify ignores an Accept-Language it cannot read.
		}
		return name;
	}

	boolean ownerPremiumLapsed() {
		return this.ownerPremiumLapsed;
	}

	RateLimiter rateLimiter() {
		return this.rateLimiter;
	}

	/** A one-time authorization code and everything it was bound to at consent. */
	record AuthorizationCode(String clientId, String redirectUri, String scope, String userId,
			@Nullable String codeChallenge, Instant expiresAt, int epoch) {
	}

	/**
	 * An issued access token; {@code epoch} is the user's grant epoch at issue, see
	 * {@link EmulatedUser#revoke()}.
	 */
	record AccessToken(String userId, String scope, Instant expiresAt, int epoch) {

		AccessToken expired() {
			return new AccessToken(this.userId, this.scope, Instant.EPOCH, this.epoch);
		}

		boolean hasScope(String wanted) {
			for (String granted : this.scope.split("[ ,]+")) {
				if (granted.equals(wanted)) {
					return true;
				}
			}
			return false;
		}

	}

	/**
	 * An issued refresh token; like access tokens it dies when its user revokes the app.
	 */
	record RefreshToken(String userId, String scope, int epoch, Instant expiresAt) {

		RefreshToken expired() {
			return new RefreshToken(this.userId, this.scope, this.epoch, Instant.EPOCH);
		}

	}

}
