package dev.savedtracks.mcpauth;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.util.unit.DataSize;

import dev.savedtracks.system.InvalidConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@code MCP_AUTH_NATIVE_REDIRECT_SCHEMES} may list, and how long tokens may live.
 */
class McpAuthSettingsTest {

	@Test
	void privateUseSchemeNamesAreKeptInLowerCase() {
		assertThat(settings(List.of(" Cursor ", "com.example.app", "")).nativeRedirectSchemes())
			.containsExactly("cursor", "com.example.app");
		assertThat(settings(List.of()).nativeRedirectSchemes()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http", "HTTPS", "javascript", "data", "file", "cursor://", "cursor:", "1app", "a b",
			"blob", "about" })
	void webAndScriptSchemesAndWhatIsNotASchemeNameStopStartUp(String scheme) {
		assertThatExceptionOfType(InvalidConfiguration.class).isThrownBy(() -> settings(List.of("cursor", scheme)))
			.withMessageContaining("MCP_AUTH_NATIVE_REDIRECT_SCHEMES");
	}

	@Test
	void accessTokensLiveAnHourAtMostAndRefreshTokensAYear() {
		assertThat(lifetimes(Duration.ofHours(1), Duration.ofDays(365)).accessTokenLifetime())
			.isEqualTo(Duration.ofHours(1));
		assertThatExceptionOfType(InvalidConfiguration.class)
			.isThrownBy(() -> lifetimes(Duration.ofMinutes(61), Duration.ofDays(30)))
			.withMessageContaining("MCP_AUTH_ACCESS_TOKEN_LIFETIME");
		assertThatExceptionOfType(InvalidConfiguration.class)
			.isThrownBy(() -> lifetimes(Duration.ofMinutes(30), Duration.ofDays(366)))
			.withMessageContaining("MCP_AUTH_REFRESH_TOKEN_LIFETIME");
	}

	private static McpAuthSettings lifetimes(Duration access, Duration refresh) {
		return new McpAuthSettings("", access, refresh, Duration.ofMinutes(2), Duration.ofHours(24), 1000, 20,
				Duration.ofSeconds(5), DataSize.ofKilobytes(5), Duration.ofHours(1), false, List.of());
	}

	private static McpAuthSettings settings(List<String> schemes) {
		return new McpAuthSettings("", Duration.ofMinutes(30), Duration.ofDays(30), Duration.ofMinutes(2),
				Duration.ofHours(24), 1000, 20, Duration.ofSeconds(5), DataSize.ofKilobytes(5), Duration.ofHours(1),
				false, schemes);
	}

}
