package dev.savedtracks.mcpauth.client;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.util.unit.DataSize;

import dev.savedtracks.mcpauth.McpAuthSettings;
import dev.savedtracks.mcpauth.client.ClientMetadataDocuments.ClientMetadataRefused;
import dev.savedtracks.mcpauth.client.ClientMetadataDocuments.Described;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** What a client metadata document must say, and which client ids may name one. */
class ClientMetadataDocumentsTest {

	private static final String ID = "https://agent.example/oauth/client.json";

	private final ClientMetadataDocuments documents = new ClientMetadataDocuments(new McpAuthSettings("",
			java.time.Duration.ofMinutes(30), java.time.Duration.ofDays(30), java.time.Duration.ofMinutes(2),
			java.time.Duration.ofHours(24), 1000, 20, java.time.Duration.ofSeconds(5), DataSize.ofKilobytes(5),
			java.time.Duration.ofHours(1), false, java.util.List.of()), new DefaultSslBundleRegistry(),
			JsonMapper.builder().build());

	@Test
	void aPublicClientDescribingItselfAtItsOwnUrlIsAccepted() throws ClientMetadataRefused {
		Described described = this.documents.parse(ID, "{\"client_id\":\"" + ID + "\",\"client_name\":\"Agent\","
				+ "\"redirect_uris\":[\"http://127.0.0.1:3000/callback\"],\"token_endpoint_auth_method\":\"none\"}");

		assertThat(described.clientName()).isEqualTo("Agent");
		assertThat(described.redirectUris()).containsExactly("http://127.0.0.1:3000/callback");
	}

	@Test
	void aDocumentForAnotherIdASecretClientOrAnUnsafeRedirectIsRefused() {
		assertThatExceptionOfType(ClientMetadataRefused.class).isThrownBy(() -> this.documents.parse(ID,
				"{\"client_id\":\"https://other.example/c.json\",\"redirect_uris\":[\"https://a.example/cb\"]}"));
		assertThatExceptionOfType(ClientMetadataRefused.class)
			.isThrownBy(() -> this.documents.parse(ID, "{\"client_id\":\"" + ID
					+ "\",\"redirect_uris\":[\"https://a.example/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}"));
		assertThatExceptionOfType(ClientMetadataRefused.class).isThrownBy(() -> this.documents.parse(ID,
				"{\"client_id\":\"" + ID + "\",\"redirect_uris\":[\"http://evil.example/cb\"]}"));
		assertThatExceptionOfType(ClientMetadataRefused.class).isThrownBy(() -> this.documents.parse(ID, "not json"));
	}

	@Test
	void onlyHttpsUrlsWithAPathAreClientIds() {
		for (String id : new String[] { "http://agent.example/c.json", "https://agent.example/",
				"https://agent.example", "https://user@agent.example/c.json", "https://agent.example/c.json#x",
				"https://agent.example/a/../c" }) {
			assertThatExceptionOfType(ClientMetadataRefused.class).as(id)
				.isThrownBy(() -> ClientMetadataDocuments.checkedUrl(id));
		}
	}

	@Test
	void aPrivateAddressIsRefusedBeforeAnyConnection() {
		assertThatExceptionOfType(ClientMetadataRefused.class)
			.isThrownBy(() -> this.documents.fetch("https://169.254.169.254/latest/meta-data"))
			.withMessageContaining("not a public address");
	}

}
