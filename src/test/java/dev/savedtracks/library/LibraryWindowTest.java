package dev.savedtracks.library;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.savedtracks.library.read.LibraryWindow;
import dev.savedtracks.library.web.InvalidParameters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The query of GET /api/saved-tracks, parsed strictly: an error for anything but what is
 * documented.
 */
class LibraryWindowTest {

	@Test
	void noParametersMeanTheWholeLibraryAsCached() {
		LibraryWindow window = LibraryWindow.parse(Map.of());

		assertThat(window).isEqualTo(new LibraryWindow(0, LibraryWindow.MAX, LibraryWindow.Refresh.NONE));
		assertThat(window).isEqualTo(LibraryWindow.ALL);
	}

	@Test
	void offsetLimitAndRefreshAreRead() {
		LibraryWindow window = LibraryWindow
			.parse(Map.of("offset", values("20"), "limit", values("10"), "refresh", values("true")));

		assertThat(window).isEqualTo(new LibraryWindow(20, 10, LibraryWindow.Refresh.CHECK));
	}

	@Test
	void eachRefreshValueHasItsMeaning() {
		assertThat(refresh("false")).isEqualTo(LibraryWindow.Refresh.NONE);
		assertThat(refresh("true")).isEqualTo(LibraryWindow.Refresh.CHECK);
		assertThat(refresh("full")).isEqualTo(LibraryWindow.Refresh.FULL);
	}

	@Test
	void boundsAreAccepted() {
		LibraryWindow window = LibraryWindow.parse(Map.of("offset", values("1000000"), "limit", values("1")));

		assertThat(window).isEqualTo(new LibraryWindow(1_000_000, 1, LibraryWindow.Refresh.NONE));
		assertThat(LibraryWindow.parse(Map.of("offset", values("0"), "limit", values("1000000"))))
			.isEqualTo(new LibraryWindow(0, 1_000_000, LibraryWindow.Refresh.NONE));
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
		assertThat(LibraryWindow.parse(Map.of("limit", values("007"))).limit()).isEqualTo(7);
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
		InvalidParameters ex = catchThrowableOfType(InvalidParameters.class, () -> LibraryWindow
			.parse(Map.of("offset", values("-5"), "limit", values("1", "2"), "refresh", values("maybe"))));

		assertThat(ex.getStatusCode().value()).isEqualTo(400);
		assertThat(invalidParams(ex)).extracting(InvalidParameters.Invalid::name)
			.containsExactly("offset", "limit", "refresh");
	}

	@Test
	void parameterWithoutValuesIsAbsent() {
		assertThat(LibraryWindow.parse(Map.of("limit", new String[0]))).isEqualTo(LibraryWindow.ALL);
	}

	@Test
	void windowSizeIsWhatTheLibraryHoldsOfIt() {
		LibraryWindow window = new LibraryWindow(90, 20, LibraryWindow.Refresh.NONE);

		assertThat(window.sizeIn(100)).isEqualTo(10);
		assertThat(window.sizeIn(200)).isEqualTo(20);
		assertThat(window.sizeIn(50)).isZero();
	}

	private static LibraryWindow.Refresh refresh(String value) {
		return LibraryWindow.parse(Map.of("refresh", values(value))).refresh();
	}

	private static List<InvalidParameters.Invalid> invalid(Map<String, String[]> parameters) {
		return invalidParams(catchThrowableOfType(InvalidParameters.class, () -> LibraryWindow.parse(parameters)));
	}

	@SuppressWarnings("unchecked")
	private static List<InvalidParameters.Invalid> invalidParams(InvalidParameters ex) {
		return (List<InvalidParameters.Invalid>) ex.getBody().getProperties().get("invalid-params");
	}

	private static String[] values(String... values) {
		return values;
	}

}
