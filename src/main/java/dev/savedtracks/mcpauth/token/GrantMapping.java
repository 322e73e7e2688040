package dev.savedtracks.mcpauth.token;

import java.security.Principal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.savedtracks.mcpauth.ResourceIndicators;

/**
 * Spring Security's {@link OAuth2Authorization} to a {@link GrantRow} of hashes and back.
 * A grant read back holds, for the credential it was looked up by, the value presented;
 * for the others their hash marked with {@value #HASHED}, which no presented credential
 * can equal, so that Spring Security's providers, which compare values, still find the
 * token they were asked about. Only what the providers need is kept: the authorization
 * request (client, redirect URI, scopes, PKCE challenge, resource) and the person's name;
 * the person's Spotify profile is not.
 */
final class GrantMapping {

	/** Marks a credential value that is a stored hash, not the credential. */
	static final String HASHED = "#";

	/**
	 * An attribute of a grant read from the database: what its row held, so that saving
	 * it changes the row only if nobody else did meanwhile.
	 */
	static final String LOADED = GrantMapping.class.getName() + ".loaded";

	private static final Set<String> KEPT_PARAMETERS = Set.of(PkceParameterNames.CODE_CHALLENGE,
			PkceParameterNames.CODE_CHALLENGE_METHOD, ResourceIndicators.RESOURCE);

	private final JsonMapper json;

	GrantMapping(JsonMapper json) {
		this.json = json;
	}

	GrantRow toRow(OAuth2Authorization authorization) {
		OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
		String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
		OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
		OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = authorization.getRefreshToken();
		String resource = (request != null
				&& request.getAdditionalParameters().get(ResourceIndicators.RESOURCE) instanceof String value) ? value
						: null;
		return new GrantRow(authorization.getId(), authorization.getRegisteredClientId(),
				authorization.getPrincipalName(), authorization.getAuthorizationGrantType().getValue(),
				join(authorization.getAuthorizedScopes()), resource, (request != null) ? writeRequest(request) : null,
				(state != null) ? hashOf(state) : null, (code != null) ? hashOf(code.getToken().getTokenValue()) : null,
				issuedAt(code), expiresAt(code), code != null && code.isInvalidated(),
				(access != null) ? hashOf(access.getToken().getTokenValue()) : null, issuedAt(access),
				expiresAt(access), (access != null) ? join(access.getToken().getScopes()) : null,
				access != null && access.isInvalidated(),
				(refresh != null) ? hashOf(refresh.getToken().getTokenValue()) : null, issuedAt(refresh),
				expiresAt(refresh), refresh != null && refresh.isInvalidated());
	}

	OAuth2Authorization toAuthorization(GrantRow row, RegisteredClient client, @Nullable String presentedHash,
			@Nullable String presented) {
		OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
			.id(row.id())
			.principalName(row.principalName())
			.authorizationGrantType(new AuthorizationGrantType(row.grantType()))
			.authorizedScopes(split(row.scopes()))
			.attribute(Principal.class.getName(),
					UsernamePasswordAuthenticationToken.authenticated(row.principalName(), null, List.of()))
			.attribute(LOADED, new Loaded(row.refreshHash(), row.codeInvalidated()));
		if (row.request() != null) {
			builder.attribute(OAuth2AuthorizationRequest.class.getName(), readRequest(row.request()));
		}
		if (row.stateHash() != null) {
			builder.attribute(OAuth2ParameterNames.STATE, value(row.stateHash(), presentedHash, presented));
		}
		if (row.codeHash() != null) {
			builder.token(
					new OAuth2AuthorizationCode(value(row.codeHash(), presentedHash, presented), row.codeIssuedAt(),
							row.codeExpiresAt()),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.codeInvalidated()));
		}
		if (row.accessHash() != null) {
			builder.token(
					new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
							value(row.accessHash(), presentedHash, presented), row.accessIssuedAt(),
							row.accessExpiresAt(), split(row.accessScopes())),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.accessInvalidated()));
		}
		if (row.refreshHash() != null) {
			builder.token(
					new OAuth2RefreshToken(value(row.refreshHash(), presentedHash, presented), row.refreshIssuedAt(),
							row.refreshExpiresAt()),
					metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME,
							row.refreshInvalidated()));
		}
		return builder.build();
	}

	/** The presented credential where this is its hash, else the marked hash. */
	private static String value(String storedHash, @Nullable String presentedHash, @Nullable String presented) {
		return (presented != null && presentedHash != null && TokenHashes.sameHash(storedHash, presentedHash))
				? presented : HASHED + storedHash;
	}

	private static String hashOf(String value) {
		return value.startsWith(HASHED) ? value.substring(HASHED.length()) : TokenHashes.hash(value);
	}

	private String writeRequest(OAuth2AuthorizationRequest request) {
		Map<String, String> kept = new LinkedHashMap<>();
		request.getAdditionalParameters().forEach((name, value) -> {
			if (KEPT_PARAMETERS.contains(name) && value instanceof String text) {
				kept.put(name, text);
			}
		});
		return this.json.writeValueAsString(new StoredRequest(request.getAuthorizationUri(), request.getClientId(),
				request.getRedirectUri(), request.getScopes(), request.getState(), kept));
	}

	private OAuth2AuthorizationRequest readRequest(String stored) {
		StoredRequest request = this.json.readValue(stored, StoredRequest.class);
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(request.authorizationUri())
			.clientId(request.clientId())
			.redirectUri(request.redirectUri())
			.scopes(request.scopes())
			.state(request.state())
			.additionalParameters(Map.copyOf(request.parameters()))
			.build();
	}

	private static @Nullable Instant issuedAt(OAuth2Authorization.@Nullable Token<? extends OAuth2Token> token) {
		return (token != null) ? token.getToken().getIssuedAt() : null;
	}

	private static @Nullable Instant expiresAt(OAuth2Authorization.@Nullable Token<? extends OAuth2Token> token) {
		return (token != null) ? token.getToken().getExpiresAt() : null;
	}

	private static @Nullable String join(@Nullable Set<String> scopes) {
		return (scopes == null || scopes.isEmpty()) ? null : String.join(" ", scopes);
	}

	private static Set<String> split(@Nullable String scopes) {
		return (scopes == null || scopes.isBlank()) ? Set.of()
				: Arrays.stream(scopes.split(" ")).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/** What a grant's row held when it was read. */
	record Loaded(@Nullable String refreshHash, boolean codeInvalidated) {
	}

	/** The parts of an authorization request that the token endpoint checks. */
	record StoredRequest(String authorizationUri, String clientId, @Nullable String redirectUri, Set<String> scopes,
			@Nullable String state, Map<String, String> parameters) {
	}

}
