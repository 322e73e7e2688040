package dev.savedtracks.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.BrowserSession;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;

/** The home page in headless Chromium, against the running service and the emulator. */
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

		this.chromium.waiting().until(d -> !d.findElements(By.id("sign-in")).isEmpty());
		assertThat(this.jdbc.sql("select count(*) from account where spotify_id = ?")
			.param(user.id())
			.query(Integer.class)
			.single()).isZero();
	}

	private List<WebElement> rows() {
		return this.chromium.browser().findElements(By.cssSelector("#tracks tr"));
	}

}
