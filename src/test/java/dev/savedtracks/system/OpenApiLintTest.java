package dev.savedtracks.system;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lint rules find what Redocly's recommended rules find in the mistakes that broke
 * the served document (a header without a schema, no licence) and the others clients
 * depend on.
 */
class OpenApiLintTest {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String FOLLOWING_THE_RULES = """
			{
			  "openapi": "3.1.0",
			  "info": {"title": "t", "version": "v1", "license": {"name": "Apache License 2.0", "identifier": "Apache-2.0"}},
			  "servers": [{"url": "/"}],
			  "tags": [{"name": "Things", "description": "Things"}],
			  "security": [{"key": []}],
			  "paths": {
			    "/things/{id}": {
			      "get": {
			        "tags": ["Things"], "operationId": "getThing", "summary": "s", "description": "d",
			        "parameters": [
			          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
			          {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}
			        ],
			        "responses": {
			          "200": {"description": "d", "headers": {"ETag": {"schema": {"type": "string"}}},
			                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
			          "404": {"description": "d",
			                  "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
			        }
			      }
			    }
			  },
			  "components": {
			    "schemas": {"Thing": {"type": "object"}, "Problem": {"type": "object"}},
			    "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}}
			  }
			}
			""";

	@Test
	void aDocumentFollowingTheRulesHasNoProblems() {
		assertThat(OpenApiLint.problems(json.readTree(FOLLOWING_THE_RULES))).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("mistakes")
	void eachMistakeIsFoundByItsRule(String rule, Consumer<ObjectNode> mistake) {
		ObjectNode api = (ObjectNode) json.readTree(FOLLOWING_THE_RULES);
		mistake.accept(api);

		assertThat(OpenApiLint.problems(api)).singleElement().asString().startsWith("[" + rule + "] ");
	}

	static Stream<Arguments> mistakes() {
		return Stream
			.of(mistake("struct", api -> parameter(api, 1).remove("schema")),
					mistake("struct",
							api -> response(api, "200").withObjectProperty("headers")
								.withObjectProperty("ETag")
								.remove("schema")),
					mistake("info-license", api -> api.withObjectProperty("info").remove("license")),
					mistake("info-license-strict",
							api -> api.withObjectProperty("info").withObjectProperty("license").remove("identifier")),
					mistake("no-empty-servers", api -> api.remove("servers")),
					mistake("operation-operationId", api -> operation(api).remove("operationId")),
					mistake("operationId-method-name", api -> operation(api).put("operationId", "get_thing")),
					mistake("operation-summary", api -> operation(api).remove("summary")),
					mistake("operation-description", api -> operation(api).remove("description")),
					mistake("operation-tag-defined", api -> operation(api).set("tags", json.readTree("[\"Other\"]"))),
					mistake("operation-4xx-response",
							api -> operation(api).withObjectProperty("responses")
								.set("500", operation(api).withObjectProperty("responses").remove("404"))),
					mistake("operation-4xx-problem-details-rfc7807",
							api -> response(api, "404").set("content",
									json.readTree("{\"application/json\": {\"schema\": {\"$ref\": "
											+ "\"#/components/schemas/Problem\"}}}"))),
					mistake("no-wildcard-media-type",
							api -> response(api, "200").set("content",
									json.readTree(
											"{\"*/*\": {\"schema\": {\"$ref\": \"#/components/schemas/Thing\"}}}"))),
					mistake("path-parameters-defined", api -> parameter(api, 0).put("name", "thing")),
					mistake("security-defined", api -> api.remove("security")),
					mistake("no-unused-components",
							api -> api.withObjectProperty("components")
								.withObjectProperty("schemas")
								.set("Unused", json.createObjectNode())),
					mistake("no-unresolved-refs",
							api -> api.withObjectProperty("components")
								.withObjectProperty("schemas")
								.set("Thing",
										json.readTree("{\"type\": \"object\", \"properties\": "
												+ "{\"other\": {\"$ref\": \"#/components/schemas/Gone\"}}}"))))
			.map(Mistake::arguments);
	}

	private static Mistake mistake(String rule, Consumer<ObjectNode> change) {
		return new Mistake(rule, change);
	}

	private static ObjectNode operation(ObjectNode api) {
		return api.withObjectProperty("paths").withObjectProperty("/things/{id}").withObjectProperty("get");
	}

	private static ObjectNode parameter(ObjectNode api, int index) {
		return (ObjectNode) operation(api).withArrayProperty("parameters").get(index);
	}

	private static ObjectNode response(ObjectNode api, String code) {
		return operation(api).withObjectProperty("responses").withObjectProperty(code);
	}

	/** A change that breaks one rule. */
	private record Mistake(String rule, Consumer<ObjectNode> change) {

		Arguments arguments() {
			return Arguments.of(this.rule, this.change);
		}

	}

}
