package dev.savedtracks.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The rules of Redocly CLI's {@code recommended} set that clients generated from an
 * OpenAPI document depend on, and the project's own (every error is
 * {@code application/problem+json}, no wildcard media types, an operationId that is a
 * method name), checked in Java so that the build needs neither Node nor the network.
 * Each problem names its rule (Redocly's name where it has one) and where it is, as a
 * JSON pointer.
 */
final class OpenApiLint {

	private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch",
			"trace");

	private static final List<String> COMPONENT_KINDS = List.of("schemas", "responses", "parameters", "examples",
			"requestBodies", "headers", "links", "callbacks", "pathItems");

	private static final Pattern PATH_TEMPLATE = Pattern.compile("\\{([^}]+)}");

	private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=]*");

	private static final Pattern METHOD_NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

	private static final String PROBLEM_JSON = "application/problem+json";

	private final JsonNode api;

	private final List<String> problems = new ArrayList<>();

	private final Map<String, String> operationIds = new HashMap<>();

	private OpenApiLint(JsonNode api) {
		this.api = api;
	}

	/** Every problem found in {@code api}; none when it passes. */
	static List<String> problems(JsonNode api) {
		OpenApiLint lint = new OpenApiLint(api);
		lint.info();
		lint.servers();
		lint.tags();
		lint.api.path("paths").properties().forEach(path -> lint.path(path.getKey(), path.getValue()));
		lint.components();
		lint.references();
		return lint.problems;
	}

	private void info() {
		JsonNode license = this.api.path("info").path("license");
		if (!license.isObject()) {
			problem("info-license", "#/info", "the info has no license");
		}
		else if (!license.hasNonNull("name") || !(license.hasNonNull("url") || license.hasNonNull("identifier"))) {
			problem("info-license-strict", "#/info/license", "the license needs a name, and a url or an identifier");
		}
	}

	private void servers() {
		JsonNode servers = this.api.path("servers");
		if (servers.isEmpty()) {
			problem("no-empty-servers", "#/servers", "no server is declared");
		}
		for (int i = 0; i < servers.size(); i++) {
			String url = servers.get(i).path("url").asString("");
			String at = "#/servers/" + i;
			if (url.contains("example.com")) {
				problem("no-server-example.com", at, "the server is example.com");
			}
			if (url.endsWith("/") && !url.equals("/")) {
				problem("no-server-trailing-slash", at, "the server URL ends with a slash");
			}
		}
	}

	private void tags() {
		for (JsonNode tag : this.api.path("tags")) {
			if (!tag.hasNonNull("description")) {
				problem("tag-description", "#/tags/" + tag.path("name").asString(""), "the tag has no description");
			}
		}
	}

	private void path(String path, JsonNode item) {
		String at = "#/paths/" + escape(path);
		if (path.length() > 1 && path.endsWith("/")) {
			problem("no-path-trailing-slash", at, "the path ends with a slash");
		}
		for (String method : METHODS) {
			if (item.has(method)) {
				operation(path, item, method, item.get(method), at + "/" + method);
			}
		}
	}

	private void operation(String path, JsonNode item, String method, JsonNode operation, String at) {
		operationId(operation, at);
		if (!operation.hasNonNull("summary")) {
			problem("operation-summary", at, "the operation has no summary");
		}
		if (!operation.hasNonNull("description")) {
			problem("operation-description", at, "the operation has no description");
		}
		operationTags(operation, at);
		security(operation, at);
		parameters(path, item, operation, at);
		JsonNode body = resolve(operation.path("requestBody"));
		body.path("content")
			.properties()
			.forEach(media -> content(media.getKey(), media.getValue(),
					at + "/requestBody/content/" + escape(media.getKey())));
		responses(operation.path("responses"), at + "/responses");
	}

	private void operationId(JsonNode operation, String at) {
		String id = operation.path("operationId").asString("");
		if (id.isEmpty()) {
			problem("operation-operationId", at, "the operation has no operationId");
			return;
		}
		String first = this.operationIds.putIfAbsent(id, at);
		if (first != null) {
			problem("operation-operationId-unique", at, "operationId " + id + " is also the one of " + first);
		}
		if (!URL_SAFE.matcher(id).matches()) {
			problem("operation-operationId-url-safe", at, "operationId " + id + " is not URL-safe");
		}
		if (!METHOD_NAME.matcher(id).matches()) {
			problem("operationId-method-name", at,
					"operationId " + id + " is not a lowerCamelCase name that a generated client can use as it is");
		}
	}

	private void operationTags(JsonNode operation, String at) {
		Set<String> declared = new HashSet<>();
		this.api.path("tags").forEach(tag -> declared.add(tag.path("name").asString("")));
		if (operation.path("tags").size() != 1) {
			problem("operation-singular-tag", at, "the operation has not exactly one tag");
		}
		for (JsonNode tag : operation.path("tags")) {
			if (!declared.contains(tag.asString())) {
				problem("operation-tag-defined", at, "tag " + tag.asString() + " is not declared in #/tags");
			}
		}
	}

	private void security(JsonNode operation, String at) {
		JsonNode requirements = operation.has("security") ? operation.get("security") : this.api.path("security");
		if (requirements.isEmpty()) {
			problem("security-defined", at, "the operation has no security requirement");
		}
		JsonNode schemes = this.api.path("components").path("securitySchemes");
		for (JsonNode requirement : requirements) {
			for (String scheme : requirement.propertyNames()) {
				if (!schemes.has(scheme)) {
					problem("security-defined", at, "security scheme " + scheme + " is not declared");
				}
			}
		}
	}

	private void parameters(String path, JsonNode item, JsonNode operation, String at) {
		Set<String> declaredInPath = new LinkedHashSet<>();
		Set<String> seen = new HashSet<>();
		List<JsonNode> parameters = new ArrayList<>();
		item.path("parameters").forEach(parameters::add);
		operation.path("parameters").forEach(parameters::add);
		for (int i = 0; i < parameters.size(); i++) {
			JsonNode parameter = resolve(parameters.get(i));
			String name = parameter.path("name").asString("");
			String in = parameter.path("in").asString("");
			String parameterAt = at + "/parameters/" + name;
			if (!seen.add(in + ":" + name)) {
				problem("operation-parameters-unique", parameterAt, "the " + in + " parameter is declared twice");
			}
			if (!parameter.has("schema") && !parameter.has("content")) {
				problem("struct", parameterAt, "the " + in + " parameter has neither a schema nor a content");
			}
			if (in.equals("path")) {
				declaredInPath.add(name);
			}
		}
		Set<String> inTemplate = new LinkedHashSet<>();
		Matcher template = PATH_TEMPLATE.matcher(path);
		while (template.find()) {
			inTemplate.add(template.group(1));
		}
		if (!inTemplate.equals(declaredInPath)) {
			problem("path-parameters-defined", at,
					"the path's parameters " + inTemplate + " are not the ones declared " + declaredInPath);
		}
	}

	private void responses(JsonNode responses, String at) {
		Set<String> codes = new LinkedHashSet<>(responses.propertyNames());
		if (codes.stream().noneMatch(code -> code.startsWith("2") || code.startsWith("3"))) {
			problem("operation-2xx-response", at, "the operation has no 2xx response");
		}
		if (codes.stream().noneMatch(code -> code.startsWith("4"))) {
			problem("operation-4xx-response", at, "the operation has no 4xx response");
		}
		for (String code : codes) {
			JsonNode response = resolve(responses.get(code));
			String responseAt = at + "/" + code;
			if (!response.hasNonNull("description")) {
				problem("struct", responseAt, "the response has no description");
			}
			response.path("headers").properties().forEach(header -> {
				JsonNode resolved = resolve(header.getValue());
				if (!resolved.has("schema") && !resolved.has("content")) {
					problem("struct", responseAt + "/headers/" + escape(header.getKey()),
							"the header has neither a schema nor a content");
				}
			});
			response.path("content")
				.properties()
				.forEach(media -> content(media.getKey(), media.getValue(),
						responseAt + "/content/" + escape(media.getKey())));
			if ((code.startsWith("4") || code.startsWith("5"))
					&& !response.path("content").path(PROBLEM_JSON).has("schema")) {
				problem("operation-4xx-problem-details-rfc7807", responseAt,
						"the error is not described as " + PROBLEM_JSON + " with a schema");
			}
		}
	}

	private void content(String mediaType, JsonNode media, String at) {
		if (mediaType.contains("*")) {
			problem("no-wildcard-media-type", at, "the media type " + mediaType + " is not the one sent");
		}
		if (!media.has("schema")) {
			problem("media-type-schema", at, "the media type has no schema");
		}
	}

	private void components() {
		Set<String> referenced = new HashSet<>();
		collectReferences(this.api, referenced);
		JsonNode components = this.api.path("components");
		for (String kind : COMPONENT_KINDS) {
			for (String name : components.path(kind).propertyNames()) {
				String pointer = "#/components/" + kind + "/" + escape(name);
				if (!referenced.contains(pointer)) {
					problem("no-unused-components", pointer, "the component is never referenced");
				}
			}
		}
		components.path("headers").properties().forEach(header -> {
			if (!header.getValue().has("schema") && !header.getValue().has("content")) {
				problem("struct", "#/components/headers/" + escape(header.getKey()),
						"the header has neither a schema nor a content");
			}
		});
		components.path("parameters").properties().forEach(parameter -> {
			if (!parameter.getValue().has("schema") && !parameter.getValue().has("content")) {
				problem("struct", "#/components/parameters/" + escape(parameter.getKey()),
						"the parameter has neither a schema nor a content");
			}
		});
	}

	private void references() {
		Set<String> referenced = new HashSet<>();
		collectReferences(this.api, referenced);
		for (String reference : referenced) {
			if (!reference.startsWith("#/")) {
				problem("no-external-refs", reference, "the reference points outside the document");
			}
			else if (at(reference).isMissingNode()) {
				problem("no-unresolved-refs", reference, "the reference points to nothing");
			}
		}
	}

	private static void collectReferences(JsonNode node, Set<String> into) {
		if (node.isObject()) {
			JsonNode reference = node.get("$ref");
			if (reference != null && reference.isString()) {
				into.add(reference.asString());
			}
		}
		if (node.isContainer()) {
			node.forEach(child -> collectReferences(child, into));
		}
	}

	/** The node a local {@code $ref} points to, or {@code node} itself. */
	private JsonNode resolve(JsonNode node) {
		JsonNode reference = node.get("$ref");
		return (reference != null && reference.isString()) ? at(reference.asString()) : node;
	}

	private JsonNode at(String reference) {
		return reference.startsWith("#") ? this.api.at(reference.substring(1)) : MissingNode.getInstance();
	}

	private void problem(String rule, String at, String message) {
		this.problems.add("[" + rule + "] " + at + ": " + message);
	}

	/** A name as a JSON pointer segment (RFC 6901). */
	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

}
