package dev.savedtracks.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.savedtracks.EmulatedSpotifyTest;
import dev.savedtracks.emulator.Album;
import dev.savedtracks.emulator.EmulatedUser;
import dev.savedtracks.emulator.SavedTrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The charts: a time axis that suits the library's span, labels that never overlap,
 * values on hover and focus.
 */
class ChartsBrowserTest extends EmulatedSpotifyTest {

	@RegisterExtension
	final Chromium chromium = new Chromium(this::appUrl);

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
		EmulatedUser user = newUser(3000);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#timeline svg")).isEmpty());

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
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#per-year svg")).isEmpty());

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
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#decades svg")).isEmpty());

		Map<String, Long> decades = numbers("decades");

		assertThat(decades).doesNotContainKey("0s").hasSizeLessThan(10);
		assertThat(this.chromium.text("decades")).contains("no known release date");
	}

	@Test
	void barValuesShowOnHoverAndWithTheArrowKeys() {
		EmulatedUser user = newUser(3000);
		this.chromium.signInAs(user.id());
		this.chromium.waiting().until(d -> !d.findElements(By.cssSelector("#timeline svg")).isEmpty());
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

}
