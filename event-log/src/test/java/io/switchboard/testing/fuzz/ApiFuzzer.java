package io.switchboard.testing.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Walks every operation of a service's OpenAPI document with generated hostile requests (wrong types,
 * boundary and out-of-range numbers and dates, NUL, lone surrogates, RTL, emoji, oversize bodies, garbage
 * cursors and tokens, odd media types) and decides what is wrong with an answer: a 5xx, no answer within 5 s,
 * an error that is not problem+json with a documented type, an entity rendered as something other than JSON,
 * or a rejected request that stored something anyway.
 */
public final class ApiFuzzer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");
    private static final String[] ACCEPTS = {null, "application/json", "*/*", "text/html", "application/xml", "image/png",
        "application/json, text/plain", "text/*"};

    /** A bearer token and what it is (for the report). */
    public record Token(String label, String value) {
    }

    /** What the fuzzer knows of the service's data: tokens, real ids, and a fingerprint of what is stored. */
    public interface Fixture {
        List<Token> tokens();

        /** Real ids for a path segment's collection ("conversations", "agents", …) or a field ("inboxId"). */
        List<String> ids(String collection);

        /** Changes whenever anything is stored (for example the number of events of the fixture's accounts). */
        long stored();
    }

    /** A fixture from plain data: tokens, ids by collection, and how to fingerprint what is stored. */
    public record SimpleFixture(List<Token> tokens, Map<String, List<String>> idsByCollection, java.util.function.LongSupplier storedState)
            implements Fixture {

        @Override
        public List<String> ids(String collection) {
            return idsByCollection.getOrDefault(collection, List.of());
        }

        @Override
        public long stored() {
            return storedState.getAsLong();
        }
    }

    /** A fuzzer for the running service at {@code baseUrl}: its OpenAPI operations, the problem types of docs/errors.md. */
    public static ApiFuzzer of(String baseUrl, Fixture fixture) {
        try {
            String errors = java.nio.file.Files.readString(io.switchboard.testing.ServiceProcess.repositoryRoot().resolve("docs/errors.md"));
            return new ApiFuzzer(baseUrl, OpenApiOperation.of(baseUrl), fixture, documentedTypes(errors, "https://switchboard.dev/problems/"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One generated request. */
    public record Request(String operation, String method, String target, Map<String, String> headers, String body, String token) {

        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 300 ? " body " + body.substring(0, 300) + "… (" + body.length() + " chars)" : " body " + body;
            return operation + ": " + method + " " + (target.length() > 300 ? target.substring(0, 300) + "…" : target) + " headers " + headers
                    + " token " + token + shown;
        }
    }

    private final String baseUrl;
    private final List<OpenApiOperation> operations;
    private final Fixture fixture;
    private final Set<String> documentedTypes;
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ANSWER_WITHIN).build();

    public ApiFuzzer(String baseUrl, List<OpenApiOperation> operations, Fixture fixture, Set<String> documentedTypes) {
        this.baseUrl = baseUrl;
        this.operations = operations;
        this.fixture = fixture;
        this.documentedTypes = documentedTypes;
    }

    public List<OpenApiOperation> operations() {
        return operations;
    }

    /** Requests drawn by jqwik's seeded randomness (so a failing seed reproduces). */
    public Arbitrary<Request> requests() {
        return Arbitraries.randoms().map(this::generate);
    }

    /** The problem types listed in docs/errors.md (the contract), as full type URIs. */
    public static Set<String> documentedTypes(String errorsMarkdown, String typeBase) {
        Set<String> types = new java.util.TreeSet<>();
        Matcher rows = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(errorsMarkdown);
        while (rows.find()) {
            types.add(typeBase + rows.group(1));
        }
        return types;
    }

    private static int headerBytes(Request request) {
        return request.headers().entrySet().stream()
                .mapToInt(h -> (h.getKey() + ": " + h.getValue()).getBytes(StandardCharsets.UTF_8).length + 2).sum();
    }

    // ---- generation ----

    private Request generate(Random random) {
        OpenApiOperation operation = operations.get(random.nextInt(operations.size()));
        Map<String, String> headers = new LinkedHashMap<>();
        String token = token(random, headers);
        String path = path(random, operation);
        String query = query(random, operation);
        // mostly what clients send, so most requests get past content negotiation into the service's code
        String accept = random.nextInt(10) < 7 ? null : ACCEPTS[random.nextInt(ACCEPTS.length)];
        if (accept != null) {
            headers.put("Accept", accept);
        }
        String body = null;
        boolean writes = !operation.method().equals("GET") && !operation.method().equals("DELETE");
        if (writes && (operation.bodySchema() != null || random.nextInt(5) == 0)) {
            body = body(random, operation);
            headers.put("Content-Type", switch (random.nextInt(40)) {
                case 0 -> "text/plain";
                case 1 -> "application/xml";
                case 2 -> "application/x-www-form-urlencoded";
                default -> "application/json";
            });
        }
        if (writes && random.nextInt(4) == 0) {
            headers.put("If-Match", switch (random.nextInt(5)) {
                case 0 -> "\"1\"";
                case 1 -> "W/\"2\"";
                case 2 -> "*";
                case 3 -> "\"99999999999999999999\"";
                default -> HostileInput.text(random).replaceAll("[^\\x20-\\x7e]", "x");
            });
        }
        return new Request(operation.toString(), operation.method(), path + query, headers, body, token);
    }

    private String token(Random random, Map<String, String> headers) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return "none";
        }
        if (roll == 1) {
            headers.put("Authorization", "Bearer " + HostileInput.text(random).replaceAll("[^A-Za-z0-9._-]", "x"));
            return "garbage";
        }
        if (roll == 2) {
            headers.put("Authorization", "Basic dXNlcjpwYXNz");
            return "basic";
        }
        List<Token> tokens = fixture.tokens();
        // admins may do the most, so their requests reach the deepest code: they come up most often
        List<Token> admins = tokens.stream().filter(t -> t.label().equals("admin")).toList();
        Token token = !admins.isEmpty() && random.nextInt(5) < 2 ? admins.get(random.nextInt(admins.size()))
                : tokens.get(random.nextInt(tokens.size()));
        headers.put("Authorization", "Bearer " + token.value());
        return token.label();
    }

    private String path(Random random, OpenApiOperation operation) {
        Matcher matcher = PATH_PARAMETER.matcher(operation.path());
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String before = operation.path().substring(0, matcher.start());
            String[] segments = before.split("/");
            String collection = matcher.group(1).endsWith("Id") && !matcher.group(1).equals("id") ? matcher.group(1)
                    : segments.length == 0 ? "" : segments[segments.length - 1];
            List<String> known = fixture.ids(collection);
            String value = switch (random.nextInt(20)) {
                case 0, 1 -> UUID.randomUUID().toString();
                case 2 -> HostileInput.text(random);
                case 3 -> "me";
                default -> known.isEmpty() ? UUID.randomUUID().toString() : known.get(random.nextInt(known.size()));
            };
            matcher.appendReplacement(path, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private String query(Random random, OpenApiOperation operation) {
        List<String> pairs = new ArrayList<>();
        String zone = HostileInput.zone(random);
        boolean transitionDay = random.nextInt(3) == 0;
        String day = HostileInput.transitionDay(random, zone);
        for (OpenApiOperation.Parameter parameter : operation.parameters()) {
            if (!parameter.in().equals("query") || (!parameter.required() && random.nextInt(5) < 2)) {
                continue;
            }
            String name = parameter.name();
            String value;
            if (name.equals("timeZone")) {
                value = zone;
            } else if (name.equals("from") || name.equals("to")) {
                value = transitionDay ? day : HostileInput.date(random);
            } else if (name.equals("range")) {
                value = transitionDay ? "custom" : new String[] {"today", "7d", "30d", "custom", "week", "", "TODAY"}[random.nextInt(7)];
            } else if (name.contains("cursor")) {
                value = HostileInput.cursor(random);
            } else if (name.equals("limit")) {
                value = HostileInput.number(random);
            } else {
                value = scalar(random, parameter.schema(), name);
            }
            pairs.add(encode(name) + "=" + encode(value));
        }
        if (random.nextInt(30) == 0) {
            pairs.add("padding=" + "x".repeat(5_000 + random.nextInt(20_000)));
        }
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private String body(Random random, OpenApiOperation operation) {
        return switch (random.nextInt(20)) {
            case 0 -> "{";
            case 1 -> "<xml/>";
            case 2 -> "";
            case 3 -> "[]";
            case 4 -> "null";
            case 5 -> "\"" + "x".repeat(1_100_000) + "\"";
            case 6 -> "{\"content\": " + HostileInput.number(random) + "}";
            default -> operation.bodySchema() == null ? "{}" : json(random, operation.document(), operation.bodySchema(), "", 0);
        };
    }

    /** Schema-guided JSON text with hostile values, sometimes a wrong type, an unknown field, an enum index. */
    private String json(Random random, JsonNode document, JsonNode schemaNode, String field, int depth) {
        JsonNode schema = OpenApiOperation.resolve(document, schemaNode);
        if (schema == null || depth > 4) {
            return "null";
        }
        if (random.nextInt(25) == 0) {
            return wrongType(random);
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            return switch (random.nextInt(10)) {
                case 0 -> String.valueOf(random.nextInt(4));
                case 1 -> quote(HostileInput.text(random));
                default -> quote(values.get(random.nextInt(values.size())).asText());
            };
        }
        JsonNode allOf = schema.path("allOf");
        if (allOf.isArray() && !allOf.isEmpty()) {
            return json(random, document, allOf.get(0), field, depth);
        }
        JsonNode anyOf = schema.has("oneOf") ? schema.get("oneOf") : schema.path("anyOf");
        if (anyOf.isArray() && !anyOf.isEmpty()) {
            return json(random, document, anyOf.get(random.nextInt(anyOf.size())), field, depth);
        }
        String type = typeOf(schema);
        switch (type) {
            case "object" -> {
                StringBuilder object = new StringBuilder("{");
                Set<String> required = new java.util.HashSet<>();
                schema.path("required").forEach(r -> required.add(r.asText()));
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields(); properties.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    if (random.nextInt(10) < (required.contains(property.getKey()) ? 1 : 3)) {
                        continue;
                    }
                    object.append(first ? "" : ",").append(quote(property.getKey())).append(':')
                            .append(json(random, document, property.getValue(), property.getKey(), depth + 1));
                    first = false;
                }
                if (random.nextInt(15) == 0) {
                    object.append(first ? "" : ",").append("\"unexpected\":").append(quote(HostileInput.text(random)));
                }
                return object.append('}').toString();
            }
            case "array" -> {
                int size = random.nextInt(8) == 0 ? 12 : random.nextInt(4);
                StringBuilder array = new StringBuilder("[");
                String item = null;
                for (int i = 0; i < size; i++) {
                    if (item == null || random.nextInt(4) != 0) {
                        item = json(random, document, schema.path("items"), field, depth + 1);
                    }
                    array.append(i == 0 ? "" : ",").append(item);
                }
                return array.append(']').toString();
            }
            case "integer", "number" -> {
                return switch (random.nextInt(8)) {
                    case 0, 1, 2 -> String.valueOf(1 + random.nextInt(5));
                    case 3 -> quote(String.valueOf(1 + random.nextInt(5)));
                    default -> HostileInput.number(random);
                };
            }
            case "boolean" -> {
                return switch (random.nextInt(8)) {
                    case 0 -> "\"true\"";
                    case 1 -> "1";
                    default -> String.valueOf(random.nextBoolean());
                };
            }
            default -> {
                return quote(scalar(random, schema, field));
            }
        }
    }

    /** A string value for a schema and field name: real ids for id fields, dates for date-times, hostile text otherwise. */
    private String scalar(Random random, JsonNode schema, String name) {
        String format = schema == null ? "" : schema.path("format").asText("");
        if (schema != null && schema.has("enum") && random.nextInt(4) != 0) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size())).asText();
        }
        if (format.equals("uuid") || name.endsWith("Id") || name.endsWith("Ids")) {
            List<String> known = fixture.ids(name.endsWith("s") ? name.substring(0, name.length() - 1) : name);
            if (!known.isEmpty() && random.nextInt(5) != 0) {
                return known.get(random.nextInt(known.size()));
            }
            return random.nextBoolean() ? UUID.randomUUID().toString() : HostileInput.text(random);
        }
        if (format.equals("date-time") || format.equals("date") || name.endsWith("At") || name.endsWith("Until")) {
            return random.nextInt(3) == 0 ? java.time.Instant.now().plusSeconds(3600 + random.nextInt(86_400)).toString() : HostileInput.date(random);
        }
        if (schema != null && ("integer".equals(typeOf(schema)) || "number".equals(typeOf(schema)))) {
            return HostileInput.number(random);
        }
        if (schema != null && "boolean".equals(typeOf(schema))) {
            return new String[] {"true", "false", "yes", "1", ""}[random.nextInt(5)];
        }
        return switch (random.nextInt(4)) {
            case 0 -> name.contains("mail") ? "someone-" + random.nextInt(1_000_000) + "@example.com" : "fine value " + random.nextInt(1000);
            case 1 -> name.equals("url") ? "https://example.com/" + random.nextInt(1000) : "Plain " + random.nextInt(1000);
            default -> HostileInput.text(random);
        };
    }

    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.asText(schema.has("properties") ? "object" : "string");
    }

    private static String wrongType(Random random) {
        String[] values = {"123", "\"5\"", "5.5", "true", "[]", "{}", "null", "\"\"", "[1,2,3]", "{\"a\":{\"b\":[]}}"};
        return values[random.nextInt(values.length)];
    }

    /** A JSON string literal; control characters and every surrogate written as \\u escapes (lone ones stay lone). */
    public static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---- checking ----

    /** Sends the request; returns what is wrong with the answer (nothing when it is fine). */
    public List<String> violations(Request request) {
        List<String> problems = new ArrayList<>();
        boolean writes = !request.method().equals("GET");
        long storedBefore = writes ? fixture.stored() : 0;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.target())).timeout(ANSWER_WITHIN);
        request.headers().forEach(builder::header);
        byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
        builder.method(request.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null && body.length > 1_000_000) {
            builder.expectContinue(true);
        }
        HttpResponse<String> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            problems.add("no answer within " + ANSWER_WITHIN.toSeconds() + " s");
            return problems;
        } catch (IOException e) {
            problems.add("the connection failed instead of an answer: " + e);
            return problems;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        answers.computeIfAbsent(status + (status >= 400 ? " " + problemType(response.body()) : ""), k -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            problems.add("answered " + status + ": " + abbreviate(response.body()));
        }
        if (status == 431 && headerBytes(request) > 20 * 1024 - 512) {
            // documented (docs/errors.md): headers over 20 KiB in all get the HTTP layer's bare 431; the client
            // adds its own (Host, User-Agent, Content-Length) to the generated ones
            return problems;
        }
        if (status >= 400) {
            if (!contentType.startsWith("application/problem+json")) {
                problems.add("error " + status + " as '" + contentType + "', not application/problem+json: " + abbreviate(response.body()));
            } else {
                try {
                    JsonNode problem = JSON.readTree(response.body());
                    if (!documentedTypes.contains(problem.path("type").asText())) {
                        problems.add("undocumented problem type " + problem.path("type").asText() + " (" + status + ")");
                    }
                    if (problem.path("status").asInt() != status) {
                        problems.add("problem status " + problem.path("status") + " on a " + status + " answer");
                    }
                } catch (IOException e) {
                    problems.add("a problem body that is not JSON: " + abbreviate(response.body()));
                }
            }
            if (writes && fixture.stored() != storedBefore) {
                problems.add("rejected with " + status + " but something was stored");
            }
        } else if (!response.body().isEmpty() && !contentType.startsWith("application/json")) {
            problems.add("answered " + status + " as '" + contentType + "' (only JSON is ever rendered): " + abbreviate(response.body()));
        }
        return problems;
    }

    /** How often each answer came (status, and problem type for errors): shows what the run reached. */
    public String answerSummary() {
        return new java.util.TreeMap<>(answers).toString();
    }

    private static String problemType(String body) {
        try {
            return JSON.readTree(body).path("type").asText().replace("https://switchboard.dev/problems/", "");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
