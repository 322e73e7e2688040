package dev.savedtracks.spotify.webapi;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import dev.savedtracks.spotify.SpotifySettings;

/** The HTTP client for Spotify's Web API. */
@Configuration(proxyBeanMethods = false)
class WebApiConfiguration {

	/** The largest answer read into memory: a page of 50 tracks is far smaller. */
	private static final int MAX_IN_MEMORY_SIZE = 8 * 1024 * 1024;

	/**
	 * The {@code WebClient} for the Web API, from Boot's auto-configured builder and
	 * connector (Reactor Netty, on Boot's shared resources), with
	 * {@code SPOTIFY_CONNECT_TIMEOUT} and {@code SPOTIFY_RESPONSE_TIMEOUT}.
	 */
	@Bean
	WebClient spotifyWebClient(WebClient.Builder builder, ObjectProvider<ClientHttpConnectorBuilder<?>> connectors,
			SpotifySettings settings) {
		return webClient(builder, connectors.getIfAvailable(ClientHttpConnectorBuilder::reactor), settings);
	}

	/**
	 * Redirects are not followed (a request carries a person's token: it goes to the
	 * configured API or nowhere), and no compressed answers are asked for.
	 */
	static WebClient webClient(WebClient.Builder builder, ClientHttpConnectorBuilder<?> connectors,
			SpotifySettings settings) {
		if (connectors instanceof ReactorClientHttpConnectorBuilder reactor) {
			connectors = reactor.withHttpClientCustomizer(client -> client.compress(false));
		}
		HttpClientSettings timeouts = HttpClientSettings.defaults()
			.withTimeouts(settings.connectTimeout(), settings.responseTimeout())
			.withRedirects(HttpRedirects.DONT_FOLLOW);
		return builder.clientConnector(connectors.build(timeouts))
			.codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_IN_MEMORY_SIZE))
			.build();
	}

}
