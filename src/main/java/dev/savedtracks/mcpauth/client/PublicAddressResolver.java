package dev.savedtracks.mcpauth.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.resolver.InetSocketAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;

/**
 * The name resolver of client metadata document fetches: resolves as the JDK does, and
 * fails when any address is not fetchable ({@link FetchableAddresses}), so that the check
 * applies to the very addresses the connection then uses: a name that resolved to a
 * public address a moment ago and resolves to a private one now (DNS rebinding) is
 * refused too.
 */
final class PublicAddressResolver extends AddressResolverGroup<InetSocketAddress> {

	private final boolean allowLoopback;

	PublicAddressResolver(boolean allowLoopback) {
		this.allowLoopback = allowLoopback;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new InetSocketAddressResolver(executor, new DefaultNameResolver(executor) {

			@Override
			protected void doResolve(String host, Promise<InetAddress> promise) {
				try {
					promise.setSuccess(fetchable(host).get(0));
				}
				catch (UnknownHostException ex) {
					promise.setFailure(ex);
				}
			}

			@Override
			protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
				try {
					promise.setSuccess(fetchable(host));
				}
				catch (UnknownHostException ex) {
					promise.setFailure(ex);
				}
			}

		});
	}

	/** The addresses of {@code host}, if every one of them may be fetched from. */
	List<InetAddress> fetchable(String host) throws UnknownHostException {
		List<InetAddress> addresses = List.of(InetAddress.getAllByName(host));
		for (InetAddress address : addresses) {
			if (!FetchableAddresses.allowed(address, this.allowLoopback)) {
				throw new UnknownHostException("not a public address: " + host.toLowerCase(Locale.ROOT));
			}
		}
		return addresses;
	}

}
