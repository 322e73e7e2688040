package dev.savedtracks.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.EmulatedUser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages checked by axe-core (WCAG 2.2 A/AA and best practices) in both colour
 * schemes, and used with the keyboard alone.
 */
class AccessibilityBrowserTest extends EmulatedSpotifyTest {

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

	@ParameterizedTest(name = "{0} mode")
	@ValueSource(strings = { "light", "dark" })
	void signedInPagePassesAxeCore(String scheme) {
		EmulatedUser user = newUser(400);
		this.chromium.prefersColorScheme(scheme);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#timeline svg")).isEmpty());
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
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#tracks tr")).isEmpty());

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
