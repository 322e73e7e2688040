package dev.savedtracks.mcpauth.client;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which addresses a client metadata document may be fetched from: a pure decision. */
class FetchableAddressesTest {

	@ParameterizedTest
	@ValueSource(strings = { "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
			"224.0.0.1", "fc00::1", "fe80::1", "::", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "127.0.0.1", "::1",
			"240.0.0.1" })
	void privateLinkLocalAndLoopbackAddressesAreRefused(String address) throws UnknownHostException {
		assertThat(FetchableAddresses.allowed(InetAddress.getByName(address), false)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "93.184.215.14", "1.1.1.1", "2606:4700::1111" })
	void publicAddressesAreAllowed(String address) throws UnknownHostException {
		assertThat(FetchableAddresses.allowed(InetAddress.getByName(address), false)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "::1" })
	void loopbackOnlyWhereTestsAllowIt(String address) throws UnknownHostException {
		assertThat(FetchableAddresses.allowed(InetAddress.getByName(address), true)).isTrue();
		assertThat(FetchableAddresses.allowed(InetAddress.getByName("10.0.0.1"), true)).isFalse();
	}

}
