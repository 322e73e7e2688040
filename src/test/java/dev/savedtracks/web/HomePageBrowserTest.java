package dev.savedtracks.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.Album;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The home page, and the sign-in pages around it, in headless Chromium, against the
 * running service and the emulator.
 * <p>
 * How the signed-in page looks in light and dark mode, on a desktop and on a 390-pixel
 * phone: full-page screenshots in {@code target/screenshots} (look at them), and the
 * checks a screenshot cannot be trusted with.
 * <p>
 * A library of 10,000 tracks in the browser: search filters as you type, and the covers
 * of the table cost little. The page records each keystroke's filtering as a User Timing
 * measure; the time is logged, and only a generous bound is asserted, since a test on a
 * shared machine is no benchmark (the target is under 100 ms).
 * <p>
 * "Download CSV / JSON / NDJSON": one click saves the whole library, named after the
 * person and the date.
 * <p>
 * The charts: a time axis that suits the library's span, labels that never overlap,
 * values on hover and focus.
 * <p>
 * The pages checked by axe-core (WCAG 2.2 A/AA and best practices) in both colour
 * schemes, and used with the keyboard alone.
 */
class HomePageBrowserTest extends EmulatedSpotifyTest {

	private static final Logger log = LoggerFactory.getLogger(HomePageBrowserTest.class);

	/**
	 * One library of 3,000 tracks for every colour scheme and width and for the charts'
	 * tests, none of which changes it: the first test syncs it, the others sign in to its
	 * copy (five syncs of 3,000 tracks fewer). See {@link #threeThousandTracks()}.
	 */
	private static EmulatedUser screenshotPerson;

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	@Test
	void signedOutPageOffersSignIn() {
		this.chromium.browser().get(appUrl() + "/");

		this.chromium.screenshot("signed-out");
		assertThat(this.chromium.browser().findElement(By.id("sign-in")).getText()).isEqualTo("Sign in with Spotify");
	}

	@Test
	void signInShowsTheCountAndSearchFiltersAndSortingReorders() {
		EmulatedUser user = newUser(1500).displayName("Browser Person");
		user.saveTrack(SavedTrack.of("zzzzzzzzzzzzzzzzzzzzz1", "Aardvark Anthem", "Unique Artist"));

		this.chromium.signInAs(user.id());

		assertThat(this.chromium.text("summary")).contains("1501 saved tracks");
		assertThat(this.chromium.text("display-name")).isEqualTo("Browser Person");
		assertThat(rows()).hasSize(100);
		assertThat(this.chromium.text("page")).isEqualTo("1–100 of 1501");
		assertThat(this.chromium.browser().findElements(By.cssSelector("#per-year svg rect.bar"))).isNotEmpty();
		assertThat(this.chromium.browser().findElements(By.cssSelector("#top-artists svg rect.bar"))).hasSize(10);
		this.chromium.screenshot("library");

		this.chromium.browser().findElement(By.id("search")).sendKeys("unique artist");
		this.chromium.waiting().until(d -> rows().size() == 1);
		assertThat(rows().get(0).getText()).contains("Aardvark Anthem");
		assertThat(this.chromium.text("match-count")).isEqualTo("1 of 1501 match");
		this.chromium.screenshot("search");

		this.chromium.browser().findElement(By.id("search")).clear();
		this.chromium.browser().findElement(By.id("search")).sendKeys(" ");
		this.chromium.waiting().until(d -> rows().size() == 100);
		this.chromium.browser().findElement(By.cssSelector("button[data-sort=name]")).click();
		this.chromium.waiting().until(d -> rows().get(0).getText().startsWith("Aardvark Anthem"));
		assertThat(this.chromium.browser()
			.findElement(By.xpath("//th[button[@data-sort='name']]"))
			.getDomAttribute("aria-sort")).isEqualTo("ascending");
		this.chromium.browser().findElement(By.cssSelector("button[data-sort=name]")).click();
		this.chromium.waiting().until(d -> !rows().get(0).getText().startsWith("Aardvark Anthem"));
		assertThat(this.chromium.browser()
			.findElement(By.xpath("//th[button[@data-sort='name']]"))
			.getDomAttribute("aria-sort")).isEqualTo("descending");
	}

	@Test
	void summaryThatArrivesAfterTheLibraryDoesNotSayItWasNeverSynced() {
		EmulatedUser user = newUser(300);
		spotify.latency(Duration.ofMillis(150));
		// The page's first /api/me answer, given while the first sync runs, reaches the
		// page only once the library and the later answer are shown.
		this.chromium.beforePageScripts("""
				const fetchNow = window.fetch;
				let first = true;
				const loaded = () => document.getElementById('overview')?.getAttribute('aria-busy') === 'false'
					&& document.querySelector('#tracks tr');
				window.fetch = async (url, options) => {
					const response = await fetchNow(url, options);
					if (first && String(url).startsWith('/api/me')) {
						first = false;
						window.earlySummary = (await response.clone().json()).librarySize;
						await new Promise((resolve) => {
							const check = () => loaded() ? resolve() : setTimeout(check, 20);
							check();
						});
						setTimeout(() => window.lateSummaryArrived = true, 100);
					}
					return response;
				};
				""");

		this.chromium.signInAs(user.id());
		this.chromium.waiting()
			.until(d -> Boolean.TRUE.equals(this.chromium.script("return window.lateSummaryArrived")));

		assertThat(this.chromium.script("return window.earlySummary")).as("the first answer: not synced yet").isNull();
		assertThat(this.chromium.text("summary")).startsWith("300 saved tracks");
	}

	@Test
	void createdKeyWorksFromAnHttpClientUntilRevoked() {
		EmulatedUser user = newUser(40);
		this.chromium.signInAs(user.id());

		this.chromium.browser().findElement(By.id("key-name")).sendKeys("laptop script");
		this.chromium.browser().findElement(By.cssSelector("#create-key button")).click();
		this.chromium.waiting().until(d -> !d.findElement(By.id("new-key-value")).getText().isEmpty());
		String key = this.chromium.text("new-key-value");
		this.chromium.screenshot("api-key-created");
		assertThat(this.chromium.text("new-key-curl")).contains("Authorization: Bearer " + key);

		HttpResponse<String> withKey = BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET",
				"application/json");
		assertThat(withKey.statusCode()).isEqualTo(200);
		assertThat(withKey.body()).contains("\"total\":40");

		this.chromium.browser().findElement(By.cssSelector("#key-rows button")).click();
		this.chromium.waiting().until(d -> d.findElements(By.cssSelector("#key-rows tr")).isEmpty());
		assertThat(BrowserSession.withKey(appUrl() + "/api/saved-tracks", key, "GET", "application/json").statusCode())
			.isEqualTo(401);
	}

	@Test
	void refreshShowsProgressAndThenTheNewTracks() {
		EmulatedUser user = newUser(1200);
		this.chromium.signInAs(user.id());
		user.removeTrackAt(600);
		user.saveTrack(SavedTrack.of("yyyyyyyyyyyyyyyyyyyyy1", "Brand New Song", "Fresh Artist"));
		spotify.latency(Duration.ofMillis(250));

		this.chromium.browser().findElement(By.id("refresh")).click();

		this.chromium.waiting()
			.until(d -> d.findElement(By.id("progress")).isDisplayed()
					&& d.findElement(By.id("progress-label")).getText().contains("pages"));
		this.chromium.screenshot("sync-progress");
		this.chromium.waiting().until(d -> !d.findElement(By.id("progress")).isDisplayed());
		this.chromium.waiting().until(d -> this.chromium.text("summary").contains("1200 saved tracks"));
		assertThat(rows().get(0).getText()).contains("Brand New Song");
	}

	@Test
	void cancelledSignInSaysSo() {
		EmulatedUser user = newUser(1);
		this.chromium.browser().get(appUrl() + "/");
		this.chromium.browser().findElement(By.id("sign-in")).click();
		this.chromium.browser().findElement(By.id("username")).sendKeys(user.id());

		this.chromium.browser().findElement(By.cssSelector("button[value=cancel]")).click();

		this.chromium.waiting().until(d -> d.getCurrentUrl().contains("/signin-error"));
		this.chromium.screenshot("sign-in-cancelled");
		assertThat(this.chromium.text("message")).contains("Sign-in was cancelled");
	}

	@Test
	void revokedAccessAsksToSignInAgainAndStillShowsTheLastCopy() {
		EmulatedUser user = newUser(30);
		this.chromium.signInAs(user.id());
		user.revoke();
		spotify.expireAccessTokens();

		this.chromium.browser().findElement(By.id("refresh")).click();

		this.chromium.waiting().until(d -> d.findElement(By.id("problem")).isDisplayed());
		this.chromium.screenshot("sign-in-again");
		assertThat(this.chromium.text("problem")).contains("Spotify asks you to sign in again");
		assertThat(this.chromium.browser().findElement(By.cssSelector("#problem a")).getDomAttribute("href"))
			.isEqualTo("/oauth2/authorization/spotify");
		assertThat(rows()).hasSize(30);
	}

	@Test
	void aSignInDueWithinTwoWeeksIsAnnouncedWithItsDateAndALinkToSignInAgain() {
		EmulatedUser user = newUser(10);
		this.chromium.signInAs(user.id());
		assertThat(this.chromium.browser().findElement(By.id("sign-in-due")).isDisplayed())
			.as("a fresh sign-in is not due")
			.isFalse();
		Instant authorizedAt = Instant.now().atOffset(ZoneOffset.UTC).minusMonths(6).plusDays(10).toInstant();
		this.jdbc.sql("update account set authorized_at = ? where spotify_id = ?")
			.params(Timestamp.from(authorizedAt), user.id())
			.update();

		this.chromium.browser().navigate().refresh();

		this.chromium.waiting().until(d -> d.findElement(By.id("sign-in-due")).isDisplayed());
		this.chromium.screenshot("sign-in-due");
		String year = String.valueOf(authorizedAt.atOffset(ZoneOffset.UTC).plusMonths(6).getYear());
		assertThat(this.chromium.text("sign-in-due")).startsWith("Sign in again before").contains(year);
		assertThat(this.chromium.browser().findElement(By.cssSelector("#sign-in-due a")).getDomAttribute("href"))
			.isEqualTo("/oauth2/authorization/spotify");
	}

	@Test
	void refusedAccessShowsTheLastCopyAndSaysWhyAndWhatSpotifyLeftOut() {
		EmulatedUser user = newUser(30).makeUnavailable(3, 4);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> rows().size() == 28);
		user.denyAccess(true);

		this.chromium.browser().findElement(By.id("refresh")).click();

		this.chromium.waiting().until(d -> d.findElement(By.id("problem")).isDisplayed());
		assertThat(this.chromium.text("problem"))
			.contains("Spotify refused access to your library; showing your last copy from");
		this.chromium.waiting().until(d -> this.chromium.text("summary").contains("28 saved tracks"));
		assertThat(this.chromium.text("summary"))
			.contains("Spotify counts 2 more that it does not list or that were removed")
			.contains("the last sync failed");
		assertThat(rows()).hasSize(28);
	}

	@Test
	void deletingMyDataAsksForConfirmationThenSignsOut() {
		EmulatedUser user = newUser(5);
		this.chromium.signInAs(user.id());

		this.chromium.browser().findElement(By.id("delete-data")).click();
		this.chromium.browser().findElement(By.id("cancel-delete")).click();
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isEqualTo(1);
		this.chromium.browser().findElement(By.id("delete-data")).click();
		this.chromium.screenshot("delete-confirmation");
		this.chromium.browser().findElement(By.id("confirm-delete-button")).click();

		this.chromium.waitForElement("#sign-in");
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
	}

	/** The library of 3,000 tracks that no test changes ({@link #screenshotPerson}). */
	private static EmulatedUser threeThousandTracks() {
		if (screenshotPerson == null) {
			screenshotPerson = newUser(3000).displayName("Screenshot Person");
		}
		return screenshotPerson;
	}

	private List<WebElement> rows() {
		return this.chromium.browser().findElements(By.cssSelector("#tracks tr"));
	}

	// How the page looks: light and dark, desktop and phone.

	@ParameterizedTest(name = "{0} mode, {1} px wide")
	@CsvSource({ "light, 1280", "dark, 1280", "light, 390", "dark, 390" })
	void signedInPageFitsTheScreenInEitherColourScheme(String scheme, int width) {
		EmulatedUser user = threeThousandTracks();
		this.chromium.prefersColorScheme(scheme);
		if (width < 1280) {
			this.chromium.phoneViewport(width);
		}

		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#timeline svg");
		this.chromium.waitInPage("[...document.querySelectorAll('#tracks img')]"
				+ ".slice(0, 5).every((img) => img.complete && img.naturalWidth > 0)");

		this.chromium.fullPageScreenshot("page-" + scheme + "-" + width);
		assertThat(this.chromium.script("return document.documentElement.scrollWidth")).as("no sideways scrolling")
			.isEqualTo((long) width);
		String background = (String) this.chromium.script("return getComputedStyle(document.body).backgroundColor");
		assertThat(background).isEqualTo(scheme.equals("dark") ? "rgb(18, 18, 18)" : "rgb(255, 255, 255)");
	}

	@Test
	void pageLoadsWithoutAFailedRequest() throws Exception {
		EmulatedUser user = newUser(20);

		this.chromium.signInAs(user.id());
		this.chromium.consoleMessages(); // what the emulator's consent page logged

		this.chromium.browser().navigate().refresh();
		this.chromium.waitForElement("#per-year svg");

		assertThat(this.chromium.consoleMessages()).as("console").noneMatch((message) -> message.startsWith("SEVERE"));
		HttpResponse<byte[]> favicon = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(appUrl() + "/favicon.ico")).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		assertThat(favicon.statusCode()).isEqualTo(200);
		assertThat(favicon.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).isIn("image/x-icon", "image/vnd.microsoft.icon"));
		assertThat(favicon.body()).startsWith(0, 0, 1, 0);
	}

	// A library of 10,000 tracks.

	@Test
	@SuppressWarnings("unchecked")
	void searchFiltersTenThousandTracksAsYouType() {
		EmulatedUser user = newUser(10_000);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> this.chromium.text("page").equals("1–100 of 10000"));
		WebElement search = this.chromium.browser().findElement(By.id("search"));

		search.sendKeys("midnight nora");
		this.chromium.waiting().until(d -> this.chromium.text("match-count").endsWith("of 10000 match"));
		search.sendKeys("x");
		this.chromium.waiting().until(d -> this.chromium.text("page").equals("No tracks"));

		List<Number> durations = (List<Number>) this.chromium
			.script("return performance.getEntriesByName('saved-tracks:filter').map((e) => e.duration)");
		DoubleSummaryStatistics stats = durations.stream().mapToDouble(Number::doubleValue).summaryStatistics();
		log.info("Filtering 10,000 tracks per keystroke: {} keystrokes, mean {} ms, max {} ms", stats.getCount(),
				Math.round(stats.getAverage()), Math.round(stats.getMax()));
		assertThat(durations).hasSize("midnight nora".length() + 1);
		assertThat(stats.getMax()).as("slowest keystroke, ms").isLessThan(1000);
	}

	@Test
	void coversAreSmallAndLoadedLazily() {
		EmulatedUser user = newUser(2000);
		this.chromium.covers().forget();

		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !this.chromium.covers().requested().isEmpty());

		List<WebElement> images = this.chromium.browser().findElements(By.cssSelector("#tracks img"));
		assertThat(images).hasSizeGreaterThan(95)
			.allSatisfy((image) -> assertThat(image.getDomProperty("loading")).isEqualTo("lazy"))
			.allSatisfy((image) -> assertThat(image.getDomAttribute("alt")).isEmpty());
		// The API reports Spotify's 640-pixel covers; the table asks for the 64-pixel
		// ones.
		assertThat(this.chromium.covers().requested())
			.allSatisfy((path) -> assertThat(path).startsWith("/image/ab67616d00004851"));
		log.info("Covers requested for the first page of 100 rows, before scrolling: {}",
				this.chromium.covers().requested().size());
		assertThat(this.chromium.covers().requested()).as("covers far below the fold wait for scrolling")
			.hasSizeLessThan(images.size());
		// Every 97th generated track has no cover: a plain square stands in, not a broken
		// image.
		assertThat(this.chromium.browser().findElements(By.cssSelector("#tracks .cover.missing"))).hasSize(1);
	}

	// The download buttons.

	@Test
	void downloadsTheWholeLibraryInEachFormatNamedAfterThePersonAndTheDate() throws IOException {
		EmulatedUser user = newUser(120).displayName("Zoë D'Angelo");
		user.saveTrack(SavedTrack.of("zzzzzzzzzzzzzzzzzzzzz2", "Comma, \"Quote\" Song", "Ünïcödé Artist"));
		this.chromium.signInAs(user.id());

		Path csv = download("download-csv", ".csv");
		Path jsonFile = download("download-json", ".json");
		Path ndjson = download("download-ndjson", ".ndjson");

		String stem = "saved-tracks-zoë-d-angelo-";
		for (Path file : List.of(csv, jsonFile, ndjson)) {
			String name = file.getFileName().toString();
			assertThat(name).startsWith(stem);
			LocalDate day = LocalDate.parse(name.substring(stem.length(), stem.length() + 10));
			assertThat(day).isBetween(LocalDate.now().minusDays(1), LocalDate.now().plusDays(1));
		}
		List<String> csvLines = Files.readAllLines(csv, StandardCharsets.UTF_8);
		assertThat(csvLines.get(0)).startsWith("id,name,uri,addedAt");
		assertThat(csvLines.get(1)).startsWith("zzzzzzzzzzzzzzzzzzzzz2,\"Comma, \"\"Quote\"\" Song\",spotify:track:")
			.contains(",Ünïcödé Artist,");
		assertThat(csvLines).hasSize(122);
		JsonNode body = json.readTree(Files.readString(jsonFile));
		assertThat(body.get("total").asInt()).isEqualTo(121);
		assertThat(body.get("items")).hasSize(121);
		assertThat(Files.readAllLines(ndjson)).hasSize(121)
			.allSatisfy((line) -> assertThat(json.readTree(line).has("addedAt")).isTrue());
		assertThat(this.chromium.text("download-status")).startsWith("Saved " + ndjson.getFileName() + " (");
		this.chromium.screenshot("downloaded");
	}

	@Test
	void aFailedDownloadSaysWhyInASentence() {
		EmulatedUser user = newUser(10);
		this.chromium.signInAs(user.id());
		// Signed out elsewhere (another tab): the session is gone, so the API answers
		// 401.
		this.chromium.browser().manage().deleteCookieNamed("SESSION");

		this.chromium.browser().findElement(By.id("download-csv")).click();

		this.chromium.waiting()
			.until(d -> this.chromium.text("download-status").startsWith("The download did not work"));
		assertThat(this.chromium.text("download-status")).contains("Sign in with Spotify");
		assertThat(listFiles()).isEmpty();
	}

	/**
	 * Clicks the button and waits for the one new file with that extension to be
	 * complete.
	 */
	private Path download(String button, String extension) {
		this.chromium.browser().findElement(By.id(button)).click();
		this.chromium.waiting().until(d -> find(extension).isPresent());
		return find(extension).orElseThrow();
	}

	private Optional<Path> find(String extension) {
		return listFiles().stream().filter((file) -> file.getFileName().toString().endsWith(extension)).findFirst();
	}

	private List<Path> listFiles() {
		try (Stream<Path> files = Files.list(this.chromium.downloads())) {
			return files.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// The charts.

	@Test
	@SuppressWarnings("unchecked")
	void timeBucketFollowsTheSpanOfTheLibrary() {
		this.chromium.browser().get(appUrl() + "/");

		Map<String, Object> buckets = (Map<String, Object>) this.chromium.chrome()
			.executeAsyncScript(
					"""
							const done = arguments[arguments.length - 1];
							import('/js/charts.js').then((charts) => {
								const day = 86400000;
								const start = Date.UTC(2015, 0, 1);
								const span = (days, n) => Array.from({ length: n }, (_, i) => start + Math.round(i * days * day / (n - 1)));
								const summary = (instants) => {
									const { bucket, entries } = charts.countOverTime(instants);
									return [bucket, entries.length, entries.reduce((sum, e) => sum + e.value, 0)].join(' ');
								};
								done({ days10: summary(span(10, 50)), days90: summary(span(90, 500)),
									years3: summary(span(3 * 365, 500)), years15: summary(span(15 * 365, 5000)),
									oneDay: summary([start, start + 3600000, NaN]) });
							}, (e) => done({ error: String(e) }));
							""");

		assertThat(buckets).containsOnly(entry("days10", "day 11 50"), entry("days90", "week 14 500"),
				entry("years3", "month 36 500"), entry("years15", "year 15 5000"), entry("oneDay", "day 1 2"));
	}

	@Test
	void timeLineLabelsNeverOverlapOnADesktopOrAPhone() {
		EmulatedUser user = threeThousandTracks();
		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#timeline svg");

		assertThat(this.chromium.text("timeline-title")).isEqualTo("Tracks saved per week");
		assertThat(axisTitles("timeline")).containsExactly("Week saved (starting Monday)", "Tracks saved");
		assertThat(axisTitles("decades")).containsExactly("Decade the album came out", "Tracks");
		assertThat(overlappingLabels()).isEmpty();
		assertThat(this.chromium.browser().findElements(By.cssSelector("#timeline text.x"))).hasSizeGreaterThan(3);
		assertThat(barWidths("timeline"))
			.allSatisfy((width) -> assertThat(width.doubleValue()).isLessThanOrEqualTo(48));

		this.chromium.phoneViewport(390);
		this.chromium.waiting()
			.until(d -> ((Number) this.chromium
				.script("return document.querySelector('#timeline svg').width.baseVal.value")).intValue() < 390);
		this.chromium.script("document.getElementById('charts').scrollIntoView()");
		this.chromium.screenshot("charts-phone");
		assertThat(overlappingLabels()).isEmpty();
		assertThat(this.chromium.browser().findElements(By.cssSelector("#timeline text.x"))).hasSizeGreaterThan(2);
	}

	@Test
	void perYearAndDecadesCountEveryTrackWithADate() {
		EmulatedUser user = newUser(1500);
		user.saveTrack(SavedTrack.of("zzzzzzzzzzzzzzzzzzzzz3", "Saved Today", "Recent Artist"));
		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#per-year svg");

		Map<String, Long> perYear = numbers("per-year");
		Map<String, Long> decades = numbers("decades");

		assertThat(perYear).hasSize(17).containsEntry("2010", 1500L).containsEntry("2011", 0L);
		assertThat(perYear.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1501);
		// Every 97th generated track (from number 50) has no release date: 15 of 1500.
		assertThat(decades.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1501 - 15);
		assertThat(decades).containsKey("1960s").containsKey("2020s");
		assertThat(this.chromium.text("decades")).contains("15 tracks have no known release date and are not counted.");
		assertThat(this.chromium.browser().findElement(By.id("timeline-figure")).isDisplayed())
			.as("a time line of years " + "would repeat the per-year chart")
			.isFalse();
	}

	@Test
	void impossibleReleaseYearsAreUnknownNotADecadeOfYearZero() {
		EmulatedUser user = newUser(100);
		SavedTrack placeholder = SavedTrack.of("zzzzzzzzzzzzzzzzzzzzz4", "Year Zero", "Some Artist");
		user.saveTrack(placeholder.withAlbum(new Album("zzzzzzzzzzzzzzzzzzzzz5", "Placeholder", "0000", null)));
		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#decades svg");

		Map<String, Long> decades = numbers("decades");

		assertThat(decades).doesNotContainKey("0s").hasSizeLessThan(10);
		assertThat(this.chromium.text("decades")).contains("no known release date");
	}

	@Test
	void barValuesShowOnHoverAndWithTheArrowKeys() {
		EmulatedUser user = threeThousandTracks();
		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#timeline svg");
		List<WebElement> bars = this.chromium.browser().findElements(By.cssSelector("#timeline rect.bar"));
		WebElement readout = this.chromium.browser().findElement(By.cssSelector("#timeline .readout"));

		new Actions(this.chromium.browser()).scrollToElement(bars.get(3)).moveToElement(bars.get(3)).perform();

		this.chromium.waiting().until(d -> readout.getText().startsWith("Week of "));
		assertThat(readout.getText()).endsWith(": 168 tracks");
		assertThat(this.chromium.browser().findElement(By.cssSelector("#timeline .tip text")).getText())
			.isEqualTo("168");
		this.chromium.screenshot("chart-hover");

		WebElement chart = this.chromium.browser().findElement(By.cssSelector("#timeline svg"));
		this.chromium.script("arguments[0].focus()", chart);
		String last = readout.getText();
		chart.sendKeys(Keys.HOME);
		this.chromium.waiting().until(d -> !readout.getText().equals(last));
		String first = readout.getText();
		chart.sendKeys(Keys.ARROW_RIGHT);

		this.chromium.waiting().until(d -> !readout.getText().equals(first));
		assertThat(this.chromium.browser().findElements(By.cssSelector("#timeline rect.bar.active"))).hasSize(1)
			.first()
			.isEqualTo(bars.get(1));
		assertThat(chart.getAriaRole()).isEqualTo("image");
		assertThat(chart.getAccessibleName()).startsWith("Tracks saved per week, Week of ")
			.contains("3,000 tracks in 19 bars");
	}

	private List<String> axisTitles(String chart) {
		return this.chromium.browser()
			.findElements(By.cssSelector("#" + chart + " text.axis-title"))
			.stream()
			.map(WebElement::getText)
			.toList();
	}

	@SuppressWarnings("unchecked")
	private List<Number> barWidths(String chart) {
		return (List<Number>) this.chromium
			.script("return [...document.querySelectorAll('#' + arguments[0] + ' rect.bar')]"
					+ ".map((bar) => bar.getBoundingClientRect().width)", chart);
	}

	/** Pairs of x-axis labels, in any chart, whose boxes intersect. */
	@SuppressWarnings("unchecked")
	private List<String> overlappingLabels() {
		return (List<String>) this.chromium
			.script("""
					const overlaps = [];
					for (const svg of document.querySelectorAll('.chart svg')) {
						const labels = [...svg.querySelectorAll('text.x')].map((t) => [t.textContent, t.getBoundingClientRect()]);
						for (let i = 1; i < labels.length; i++) {
							const [name, box] = labels[i];
							const [previousName, previous] = labels[i - 1];
							if (box.left < previous.right + 2) overlaps.push(previousName + ' / ' + name);
						}
						const svgBox = svg.getBoundingClientRect();
						for (const [name, box] of labels) {
							if (box.left < svgBox.left - 1 || box.right > svgBox.right + 1) overlaps.push(name + ' sticks out');
						}
					}
					return overlaps;
					""");
	}

	/** The rows of a chart's table of numbers, label to value. */
	@SuppressWarnings("unchecked")
	private Map<String, Long> numbers(String chart) {
		Map<String, Object> rows = (Map<String, Object>) this.chromium.script(
				"""
						return Object.fromEntries([...document.querySelectorAll('#' + arguments[0] + ' details tbody tr')]
							.map((tr) => [tr.querySelector('th').textContent, Number(tr.querySelector('td').textContent.replace(/,/g, ''))]));
						""",
				chart);
		Map<String, Long> numbers = new LinkedHashMap<>();
		rows.forEach((label, value) -> numbers.put(label, ((Number) value).longValue()));
		return numbers;
	}

	// With the keyboard alone, and axe-core's checks.

	@ParameterizedTest(name = "{0} mode")
	@ValueSource(strings = { "light", "dark" })
	void signedInPagePassesAxeCore(String scheme) {
		EmulatedUser user = newUser(400);
		this.chromium.prefersColorScheme(scheme);
		this.chromium.signInAs(user.id());
		this.chromium.waitForElement("#timeline svg");
		this.chromium.browser().findElement(By.cssSelector("#timeline details summary")).click();

		Axe axe = Axe.check(this.chromium.browser());

		assertThat(axe.passedRules()).isGreaterThan(20);
		assertThat(axe.seriousViolations()).isEmpty();
		assertThat(axe.violations()).as("moderate and minor violations").isEmpty();
	}

	@ParameterizedTest(name = "{0} mode")
	@ValueSource(strings = { "light", "dark" })
	void signedOutAndSignInErrorPagesPassAxeCore(String scheme) {
		this.chromium.prefersColorScheme(scheme);

		this.chromium.browser().get(appUrl() + "/");
		Axe signedOut = Axe.check(this.chromium.browser());
		this.chromium.browser().get(appUrl() + "/signin-error?reason=cancelled");
		Axe signInError = Axe.check(this.chromium.browser());

		assertThat(signedOut.violations()).isEmpty();
		assertThat(signInError.violations()).isEmpty();
	}

	@Test
	void sortButtonsWorkFromTheKeyboardAndAnnounceTheOrder() {
		EmulatedUser user = newUser(150);
		this.chromium.signInAs(user.id());
		this.chromium.browser().findElement(By.id("search")).click();

		WebElement title = tabTo(By.cssSelector("button[data-sort=name]"));
		title.sendKeys(Keys.ENTER);

		WebElement header = this.chromium.browser().findElement(By.xpath("//th[button[@data-sort='name']]"));
		this.chromium.waiting().until(d -> "ascending".equals(header.getDomAttribute("aria-sort")));
		assertThat(title.getAccessibleName()).isEqualTo("Title");
		assertThat(this.chromium.browser()
			.findElement(By.xpath("//th[button[@data-sort='addedAt']]"))
			.getDomAttribute("aria-sort")).isEqualTo("none");
		title.sendKeys(Keys.SPACE);
		this.chromium.waiting().until(d -> "descending".equals(header.getDomAttribute("aria-sort")));
	}

	@Test
	void tableAndPagerAreReachableWithTheKeyboard() {
		EmulatedUser user = newUser(150);
		this.chromium.signInAs(user.id());
		this.chromium.browser().findElement(By.id("search")).click();

		WebElement next = tabTo(By.id("next"));
		next.sendKeys(Keys.ENTER);
		this.chromium.waiting().until(d -> this.chromium.text("page").equals("101–150 of 150"));
		WebElement table = tabTo(By.cssSelector(".table-wrap"));

		assertThat(table.getAriaRole()).isEqualTo("region");
		assertThat(table.getAccessibleName()).isEqualTo("Tracks table");
	}

	@Test
	void skipLinkLeadsToTheTracks() {
		EmulatedUser user = newUser(10);
		this.chromium.signInAs(user.id());
		this.chromium.browser().navigate().refresh();
		this.chromium.waitForElement("#tracks tr");

		this.chromium.browser().findElement(By.tagName("body")).sendKeys(Keys.TAB);
		WebElement skip = this.chromium.browser().switchTo().activeElement();
		assertThat(skip.getText()).isEqualTo("Skip to your tracks");
		assertThat(skip.isDisplayed()).isTrue();
		skip.sendKeys(Keys.ENTER);

		this.chromium.waiting().until(d -> d.getCurrentUrl().endsWith("#library"));
	}

	@Test
	void syncProgressIsAProgressbarWithAName() {
		EmulatedUser user = newUser(1200);
		this.chromium.signInAs(user.id());
		user.removeTrackAt(600);
		spotify.latency(Duration.ofMillis(250));

		this.chromium.browser().findElement(By.id("refresh")).click();

		WebElement bar = this.chromium.browser().findElement(By.id("progress-bar"));
		this.chromium.waiting().until(d -> bar.isDisplayed() && this.chromium.text("progress-label").contains("pages"));
		this.chromium.screenshot("sync-progress-bar");
		assertThat(bar.getAriaRole()).isEqualTo("progressbar");
		assertThat(bar.getAccessibleName()).startsWith("Syncing");
	}

	/**
	 * Presses Tab (at most 40 times) until {@code target} has the focus, as a keyboard
	 * user would.
	 */
	private WebElement tabTo(By target) {
		WebElement wanted = this.chromium.browser().findElement(target);
		for (int i = 0; i < 40; i++) {
			WebElement focused = this.chromium.browser().switchTo().activeElement();
			if (focused.equals(wanted)) {
				return focused;
			}
			focused.sendKeys(Keys.TAB);
		}
		throw new AssertionError("Tab never reached " + target);
	}

}
