package dev.savedtracks.library.web;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.answer.Window;
import dev.savedtracks.library.read.ReadRequest;
import dev.savedtracks.library.read.ReadRequest.Refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The query of GET /api/saved-tracks, parsed strictly into a plain read request: an error
 * for anything but what is documented.
 */
class SavedTracksQueryTest {

	@Test
	void noParametersMeanTheWholeLibraryAsCached() {
		ReadRequest read = parse(Map.of());

		assertThat(read).isEqualTo(new ReadRequest(new Window(0, Window.MAX), Refresh.NONE, false));
		assertThat(read.window()).isEqualTo(Window.ALL);
	}

	@Test
	void theCallersPreferenceForAStaleCopyTravelsWithTheQuery() {
		assertThat(SavedTracksQuery.parse(Map.of(), true).acceptsStale()).isTrue();
		assertThat(SavedTracksQuery.parse(Map.of(), false).acceptsStale()).isFalse();
	}

	@Test
	void offsetLimitAndRefreshAreRead() {
		ReadRequest read = parse(Map.of("offset", values("20"), "limit", values("10"), "refresh", values("true")));

		assertThat(read).isEqualTo(new ReadRequest(new Window(20, 10), Refresh.CHECK, false));
	}

	@Test
	void eachRefreshValueHasItsMeaning() {
		assertThat(refresh("false")).isEqualTo(Refresh.NONE);
		assertThat(refresh("true")).isEqualTo(Refresh.CHECK);
		assertThat(refresh("full")).isEqualTo(Refresh.FULL);
	}

	@Test
	void boundsAreAccepted() {
		ReadRequest read = parse(Map.of("offset", values("1000000"), "limit", values("1")));

		assertThat(read.window()).isEqualTo(new Window(1_000_000, 1));
		assertThat(parse(Map.of("offset", values("0"), "limit", values("1000000"))).window())
			.isEqualTo(new Window(0, 1_000_000));
	}

	@Test
	void valuesBeyondTheBoundsAreRefused() {
		assertThat(invalid(Map.of("limit", values("0"))))
			.containsExactly(new InvalidParameters.Invalid("limit", "must be a whole number from 1 to 1000000"));
		assertThat(invalid(Map.of("offset", values("1000001"))))
			.containsExactly(new InvalidParameters.Invalid("offset", "must be a whole number from 0 to 1000000"));
		assertThat(invalid(Map.of("limit", values("99999999999999999999")))).extracting(InvalidParameters.Invalid::name)
			.containsExactly("limit");
	}

	@Test
	void valuesThatAreNotWholeNumbersAreRefused() {
		for (String value : List.of("", "ten", "-1", "+1", "1.5", "1e3", " 1", "0x10", "١")) {
			assertThat(invalid(Map.of("offset", values(value)))).as("offset=%s", value)
				.extracting(InvalidParameters.Invalid::name)
				.containsExactly("offset");
		}
	}

	@Test
	void leadingZerosAreTheSameNumber() {
		assertThat(parse(Map.of("limit", values("007"))).window().limit()).isEqualTo(7);
	}

	@Test
	void repeatedParametersAreRefusedEvenWhenTheyAgree() {
		assertThat(invalid(Map.of("limit", values("10", "10"))))
			.containsExactly(new InvalidParameters.Invalid("limit", "must be given at most once"));
	}

	@Test
	void unknownRefreshValuesAreRefused() {
		for (String value : List.of("TRUE", "yes", "1", "", "fulll")) {
			assertThat(invalid(Map.of("refresh", values(value)))).as("refresh=%s", value)
				.containsExactly(new InvalidParameters.Invalid("refresh", "must be true, false or full"));
		}
	}

	@Test
	void everyInvalidParameterIsListedAtOnce() {
		InvalidParameters ex = catchThrowableOfType(InvalidParameters.class,
				() -> parse(Map.of("offset", values("-5"), "limit", values("1", "2"), "refresh", values("maybe"))));

		assertThat(ex.getStatusCode().value()).isEqualTo(400);
		assertThat(invalidParams(ex)).extracting(InvalidParameters.Invalid::name)
			.containsExactly("offset", "limit", "refresh");
	}

	@Test
	void parameterWithoutValuesIsAbsent() {
		assertThat(parse(Map.of("limit", new String[0])).window()).isEqualTo(Window.ALL);
	}

	@Test
	void windowSizeIsWhatTheLibraryHoldsOfIt() {
		Window window = new Window(90, 20);

		assertThat(window.sizeIn(100)).isEqualTo(10);
		assertThat(window.sizeIn(200)).isEqualTo(20);
		assertThat(window.sizeIn(50)).isZero();
	}

	private static Refresh refresh(String value) {
		return parse(Map.of("refresh", values(value))).refresh();
	}

	private static ReadRequest parse(Map<String, String[]> parameters) {
		return SavedTracksQuery.parse(parameters, false);
	}

	private static List<InvalidParameters.Invalid> invalid(Map<String, String[]> parameters) {
		return invalidParams(catchThrowableOfType(InvalidParameters.class, () -> parse(parameters)));
	}

	@SuppressWarnings("unchecked")
	private static List<InvalidParameters.Invalid> invalidParams(InvalidParameters ex) {
		return (List<InvalidParameters.Invalid>) ex.getBody().getProperties().get("invalid-params");
	}

	private static String[] values(String... values) {
		return values;
	}

}
