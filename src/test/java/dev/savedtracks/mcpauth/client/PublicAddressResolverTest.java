package dev.savedtracks.mcpauth.client;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resolver that client metadata document fetches connect through refuses a name whose
 * addresses are not public when the connection is made, whatever an earlier check saw
 * (DNS rebinding).
 */
class PublicAddressResolverTest {

	@Test
	void aNameResolvingToLoopbackIsRefusedWhenTheConnectionIsMade() throws InterruptedException {
		Future<InetSocketAddress> resolved = new PublicAddressResolver(false)
			.getResolver(ImmediateEventExecutor.INSTANCE)
			.resolve(InetSocketAddress.createUnresolved("localhost", 443))
			.await();

		assertThat(resolved.isSuccess()).isFalse();
		assertThat(resolved.cause()).isInstanceOf(UnknownHostException.class)
			.hasMessageContaining("not a public address");
	}

	@Test
	void loopbackIsResolvedWhereTestsAllowIt() throws InterruptedException {
		Future<InetSocketAddress> resolved = new PublicAddressResolver(true)
			.getResolver(ImmediateEventExecutor.INSTANCE)
			.resolve(InetSocketAddress.createUnresolved("localhost", 443))
			.await();

		assertThat(resolved.isSuccess()).isTrue();
		assertThat(resolved.getNow().getAddress().isLoopbackAddress()).isTrue();
	}

}
