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
import java.time.Duration;
import java.time.LocalDate;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import dev.savedtracks.BrowserSession;
import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home page in headless Chromium, against the running service and the emulator.
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
 */
class HomePageBrowserTest extends EmulatedSpotifyTest {

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
		assertThat(this.chromium.text("summary")).contains("Spotify counts 2 more that are unavailable or removed")
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

		this.chromium.waiting().until(d -> !d.findElements(By.id("sign-in")).isEmpty());
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
	}

	private List<WebElement> rows() {
		return this.chromium.browser().findElements(By.cssSelector("#tracks tr"));
	}

	// How the page looks: light and dark, desktop and phone.

	/**
	 * One library for every colour scheme and width: the first case syncs it, the others
	 * sign in to its copy (the page is the same; three syncs of 3,000 tracks fewer).
	 */
	private static EmulatedUser screenshotPerson;

	@ParameterizedTest(name = "{0} mode, {1} px wide")
	@CsvSource({ "light, 1280", "dark, 1280", "light, 390", "dark, 390" })
	void signedInPageFitsTheScreenInEitherColourScheme(String scheme, int width) {
		if (screenshotPerson == null) {
			screenshotPerson = newUser(3000).displayName("Screenshot Person");
		}
		EmulatedUser user = screenshotPerson;
		this.chromium.prefersColorScheme(scheme);
		if (width < 1280) {
			this.chromium.phoneViewport(width);
		}

		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#timeline svg")).isEmpty());
		this.chromium.waiting()
			.until(d -> Boolean.TRUE.equals(this.chromium.script("return [...document.querySelectorAll('#tracks img')]"
					+ ".slice(0, 5).every((img) => img.complete && img.naturalWidth > 0)")));

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
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#per-year svg")).isEmpty());

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

	private static final Logger log = LoggerFactory.getLogger(HomePageBrowserTest.class);

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

}
