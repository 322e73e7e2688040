package dev.savedtracks.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.deque.html.axecore.args.AxeRunOptions;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import org.openqa.selenium.WebDriver;

/**
 * Runs Deque's axe-core in the page under test against WCAG 2.2 A/AA and axe's best
 * practices, and describes its findings in a form a failing assertion can show.
 */
final class Axe {

	private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
			"best-practice");

	private static final Set<String> SERIOUS = Set.of("serious", "critical");

	private final Results results;

	private Axe(Results results) {
		this.results = results;
	}

	static Axe check(WebDriver browser) {
		AxeRunOptions options = new AxeRunOptions();
		// axe.run in the page itself (legacy mode): the pages have no frames, so the
		// default's partial runs, finished in a second window, only cost time; a check
		// of the signed-in page takes 3-4 s of CPU instead of 5-8.
		Results results = new AxeBuilder().withOptions(options).withTags(TAGS).setLegacyMode(true).analyze(browser);
		if (results.getErrorMessage() != null) {
			throw new IllegalStateException("axe-core could not run: " + results.getErrorMessage());
		}
		return new Axe(results);
	}

	/** The serious and critical violations, one line per rule and element. */
	List<String> seriousViolations() {
		return describe(
				this.results.getViolations().stream().filter((rule) -> SERIOUS.contains(rule.getImpact())).toList());
	}

	/** Every violation, whatever its impact. */
	List<String> violations() {
		return describe(this.results.getViolations());
	}

	/** How many rules passed: a check that ran on an empty page would pass nothing. */
	int passedRules() {
		return this.results.getPasses().size();
	}

	private static List<String> describe(List<Rule> rules) {
		return rules.stream()
			.flatMap((rule) -> rule.getNodes()
				.stream()
				.map((node) -> rule.getImpact() + " " + rule.getId() + " (" + rule.getHelp() + "): " + node.getTarget()
						+ " " + node.getHtml() + " " + node.getFailureSummary()))
			.collect(Collectors.toList());
	}

}
