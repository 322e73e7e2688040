package dev.savedtracks.mcpauth.client;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.client.ClientMetadataDocuments.ClientMetadataRefused;
import dev.savedtracks.mcpauth.client.ClientMetadataDocuments.Described;

/**
 * The clients of the MCP authorization server: those registered dynamically, kept by
 * Spring Security's JDBC repository (secrets only as bcrypt hashes), and those whose
 * {@code client_id} is the URL of their metadata document, fetched when first seen and
 * again once {@code MCP_AUTH_METADATA_CACHE_TIME} has passed, and stored like the others
 * so that every replica and every later request (the token endpoint's) finds them. A
 * document that cannot be fetched or is refused is not asked for again for a minute; a
 * stored copy is used meanwhile. New document clients count against
 * {@code MCP_AUTH_MAX_PENDING_CLIENTS} like registrations.
 */
public final class ClientRegistry implements RegisteredClientRepository {

	private static final Log logger = LogFactory.getLog(ClientRegistry.class);

	private final RegisteredClientRepository stored;

	private final ClientMetadataDocuments documents;

	private final JdbcClient jdbc;

	private final McpAuthSettings settings;

	private final Clock clock;

	private final Cache<String, String> refused = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(1, TimeUnit.MINUTES)
		.build();

	public ClientRegistry(RegisteredClientRepository stored, ClientMetadataDocuments documents, JdbcClient jdbc,
			McpAuthSettings settings, Clock clock) {
		this.stored = stored;
		this.documents = documents;
		this.jdbc = jdbc;
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		this.stored.save(registeredClient);
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return this.stored.findById(id);
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		if (!clientId.startsWith("https://")) {
			return this.stored.findByClientId(clientId);
		}
		RegisteredClient known = this.stored.findByClientId(clientId);
		Instant now = this.clock.instant();
		Optional<Instant> fetchedAt = fetchedAt(clientId);
		if (known != null && fetchedAt.isPresent()
				&& fetchedAt.get().plus(this.settings.metadataCacheTime()).isAfter(now)) {
			return known;
		}
		if (this.refused.getIfPresent(clientId) != null) {
			return known;
		}
		try {
			if (known == null && pendingClients() >= this.settings.maxPendingClients()) {
				throw new ClientMetadataRefused("too many clients are waiting for a first authorization");
			}
			Described described = this.documents.fetch(clientId);
			RegisteredClient client = ClientPolicy.fromDocument((known != null) ? known.getId() : null, clientId,
					described.clientName(), described.redirectUris(), now);
			this.stored.save(client);
			this.jdbc
				.sql("update oauth2_registered_client set metadata_document = true, metadata_fetched_at = ? "
						+ "where id = ?")
				.params(Timestamp.from(now), client.getId())
				.update();
			return client;
		}
		catch (ClientMetadataRefused ex) {
			logger.info("Client metadata document refused: " + ex.getMessage());
			this.refused.put(clientId, ex.getMessage());
			return known;
		}
	}

	/** Why the document of {@code clientId} was last refused, if it was, lately. */
	@Nullable String refusal(String clientId) {
		return this.refused.getIfPresent(clientId);
	}

	public int pendingClients() {
		Integer pending = this.jdbc.sql("select count(*) from oauth2_registered_client where authorized_at is null")
			.query(Integer.class)
			.single();
		return (pending != null) ? pending : 0;
	}

	private Optional<Instant> fetchedAt(String clientId) {
		return this.jdbc.sql("select metadata_fetched_at from oauth2_registered_client where client_id = ?")
			.param(clientId)
			.query((rs, i) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
			.optional()
			.flatMap(value -> value.map(OffsetDateTime::toInstant));
	}

}
