package io.switchboard.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One operation of a service's OpenAPI document: what the fuzzer walks. */
public record OpenApiOperation(String method, String path, List<Parameter> parameters, JsonNode bodySchema, JsonNode document) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A path, query or header parameter. */
    public record Parameter(String name, String in, JsonNode schema, boolean required) {
    }

    /** Every operation the running service documents at /q/openapi. */
    public static List<OpenApiOperation> of(String baseUrl) {
        JsonNode document;
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/q/openapi?format=json")).build(), HttpResponse.BodyHandlers.ofString());
            document = JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException("could not read the OpenAPI document of " + baseUrl, e);
        }
        List<OpenApiOperation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (method.getKey().equals("parameters")) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode parameter : method.getValue().path("parameters")) {
                    JsonNode resolved = resolve(document, parameter);
                    parameters.add(new Parameter(resolved.path("name").asText(), resolved.path("in").asText(),
                            resolve(document, resolved.path("schema")), resolved.path("required").asBoolean(false)));
                }
                JsonNode body = method.getValue().path("requestBody").path("content").path("application/json").path("schema");
                operations.add(new OpenApiOperation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), parameters,
                        body.isMissingNode() ? null : resolve(document, body), document));
            }
        }
        return operations;
    }

    /** Follows a local {@code $ref} (#/components/...). */
    public static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        for (int hops = 0; current != null && current.has("$ref") && hops < 10; hops++) {
            String ref = current.get("$ref").asText();
            current = document.at(ref.substring(1));
        }
        return current;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
