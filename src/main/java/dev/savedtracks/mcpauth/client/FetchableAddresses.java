package dev.savedtracks.mcpauth.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Which addresses the server may fetch a client metadata document from: public unicast
 * ones only. Loopback, private (RFC 1918, unique-local), link-local (cloud metadata
 * services at 169.254.169.254 among them), carrier-grade NAT, multicast, unspecified and
 * IPv4-mapped forms of these are refused, so a client id cannot make the server reach
 * into its own network. Loopback can be allowed for tests.
 */
final class FetchableAddresses {

	private FetchableAddresses() {
	}

	static boolean allowed(InetAddress address, boolean allowLoopback) {
		if (address.isLoopbackAddress()) {
			return allowLoopback;
		}
		if (address instanceof Inet6Address v6) {
			byte[] bytes = v6.getAddress();
			if (isMappedV4(bytes)) {
				try {
					return allowed(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)),
							allowLoopback);
				}
				catch (java.net.UnknownHostException ex) {
					return false;
				}
			}
			// fc00::/7 unique local addresses
			if ((bytes[0] & 0xfe) == 0xfc) {
				return false;
			}
		}
		if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
				|| address.isMulticastAddress()) {
			return false;
		}
		if (address instanceof Inet4Address v4) {
			byte[] b = v4.getAddress();
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			// 0/8, 100.64/10 (carrier-grade NAT), 192.0.0/24, 198.18/15 (benchmarking),
			// 240/4 (reserved)
			if (first == 0 || (first == 100 && second >= 64 && second < 128)
					|| (first == 192 && second == 0 && (b[2] & 0xff) == 0) || (first == 198 && (second & 0xfe) == 18)
					|| first >= 240) {
				return false;
			}
		}
		return true;
	}

	private static boolean isMappedV4(byte[] bytes) {
		for (int i = 0; i < 10; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
	}

}
