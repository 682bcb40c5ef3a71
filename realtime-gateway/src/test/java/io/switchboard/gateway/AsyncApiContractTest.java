package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.LoggedEvent;
import io.switchboard.eventlog.RoutingScope;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.events.RoutedEvent;
import io.switchboard.gateway.protocol.ErrorCode;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.Inbound;
import io.switchboard.gateway.session.Subscription;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** asyncapi.yaml documents exactly the frames the code sends and accepts, with schemas real frames satisfy. */
@QuarkusTest
class AsyncApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode document;

    @BeforeEach
    void load() {
        if (document != null) {
            return;
        }
        String yaml = RestAssured.get("/asyncapi.yaml").then().statusCode(200).extract().asString();
        document = JSON.valueToTree(new Yaml().load(yaml));
    }

    @Test
    void itIsAnAsyncApi3DocumentOfTheWebSocketEndpoint() {
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(document.at("/channels/gateway/address").asText()).isEqualTo("/ws");
    }

    @Test
    void everyFrameTheServerSendsIsDocumentedAndNothingElse() throws Exception {
        Set<String> inCode = new HashSet<>();
        for (Field field : Frames.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class && Modifier.isPublic(field.getModifiers())) {
                inCode.add((String) field.get(null));
            }
        }
        assertThat(documentedNames("serverFrames")).containsExactlyInAnyOrderElementsOf(inCode);
    }

    @Test
    void everyFrameTheServerAcceptsIsDocumentedAndNothingElse() {
        assertThat(documentedNames("clientFrames")).containsExactlyInAnyOrderElementsOf(Inbound.CLIENT_FRAMES);
    }

    @Test
    void everyErrorCodeIsDocumented() {
        Set<String> documented = new HashSet<>();
        message("error").at("/payload/properties/code/enum").forEach(code -> documented.add(code.asText()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
    }

    @Test
    void framesTheServerBuildsMatchTheirSchemas() throws Exception {
        Principal agent = new Principal(Principal.Kind.AGENT, UUID.randomUUID(), UUID.randomUUID(), "supervisor", "s", "t", Instant.now());
        ObjectNode sender = JSON.createObjectNode().put("kind", "agent").put("id", UUID.randomUUID().toString());
        String cursor = new EventCursor(42, 7).encode();
        Map<String, String> samples = new HashMap<>();
        samples.put("hello", Frames.hello(5000));
        samples.put("authenticated", Frames.authenticated(agent));
        samples.put("subscribed", Frames.subscribed("s1", "conversations", cursor));
        samples.put("unsubscribed", Frames.unsubscribed("s1", "access_revoked"));
        samples.put("reset", Frames.reset("s1", "cursor_expired", "reload"));
        samples.put("typing", Frames.typing(UUID.randomUUID().toString(), sender, true, false, 6000));
        samples.put("presence", Frames.presence(UUID.randomUUID().toString(), true, 3, Instant.now()));
        samples.put("token_expiring", Frames.tokenExpiring(Instant.now().plusSeconds(30)));
        samples.put("pong", Frames.pong("r1", cursor, Map.of("all", cursor)));
        samples.put("error", Frames.error(ErrorCode.INVALID_FILTER, "bad", "s1"));
        samples.put("reconnect", Frames.reconnect(1234, "service_restart"));
        samples.put("close", Frames.close(4008, "slow_consumer"));
        ObjectNode dashboard = JSON.createObjectNode().put("accountId", UUID.randomUUID().toString()).put("position", cursor);
        for (String part : List.of("overview", "queue", "csat", "messages", "agents")) {
            dashboard.putObject(part);
        }
        samples.put("metrics", Frames.metrics("m1", dashboard));
        RoutedEvent event = new RoutedEvent(conversationUpdated());
        samples.put("event", Frames.event(Map.of("s1", Subscription.Op.ENTER, "s2", Subscription.Op.CHANGE),
                event.body(RoutedEvent.Detail.FULL, JSON)));
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(documentedNames("serverFrames"));
        for (Map.Entry<String, String> sample : samples.entrySet()) {
            List<String> problems = new ArrayList<>();
            validate(JSON.readTree(sample.getValue()), message(sample.getKey()).path("payload"), "", problems, true);
            assertThat(problems).as("frame %s: %s", sample.getKey(), sample.getValue()).isEmpty();
        }
        List<String> problems = new ArrayList<>();
        validate(JSON.readTree(Frames.subscribed("m1", "metrics", null)), message("subscribed").path("payload"), "", problems, true);
        assertThat(problems).as("a metrics subscription has no cursor").isEmpty();
    }

    @Test
    void framesClientsSendMatchTheirSchemas() throws Exception {
        Map<String, String> samples = Map.of(
                "auth", "{\"type\":\"auth\",\"token\":\"x.y.z\",\"ref\":\"a1\"}",
                "subscribe", "{\"type\":\"subscribe\",\"id\":\"mine\",\"topic\":\"conversations\",\"filter\":{\"assignee\":\"me\",\"status\":[\"open\"]},\"since\":\"v1.a.b\"}",
                "unsubscribe", "{\"type\":\"unsubscribe\",\"id\":\"mine\"}",
                "typing", "{\"type\":\"typing\",\"conversationId\":\"" + UUID.randomUUID() + "\",\"typing\":true,\"privateNote\":false}",
                "ping", "{\"type\":\"ping\",\"ref\":\"p1\"}");
        for (Map.Entry<String, String> sample : samples.entrySet()) {
            JsonNode schema = clientMessages().get(sample.getKey());
            List<String> problems = new ArrayList<>();
            validate(JSON.readTree(sample.getValue()), schema.path("payload"), "", problems, true);
            assertThat(problems).as("client frame %s", sample.getKey()).isEmpty();
        }
    }

    private static LoggedEvent conversationUpdated() {
        UUID id = UUID.randomUUID();
        ObjectNode payload = JSON.createObjectNode().put("version", 3);
        payload.putObject("changes").put("priority", "high");
        payload.putObject("previous").put("priority", "low");
        payload.putObject("conversation").put("id", id.toString()).put("status", "open").put("priority", "high")
                .put("inboxId", UUID.randomUUID().toString()).put("archived", false);
        EventEnvelope envelope = new EventEnvelope(UUID.randomUUID(), "conversation.updated", UUID.randomUUID(), "conversation", id, 3,
                Instant.now(), Actor.system(), RoutingScope.ACCOUNT, payload);
        return new LoggedEvent(new EventCursor(5, 1), envelope, Instant.now());
    }

    /** The message names an operation lists, resolved through the channel's message references. */
    private static Set<String> documentedNames(String operation) {
        Set<String> names = new HashSet<>();
        for (JsonNode reference : document.at("/operations/" + operation + "/messages")) {
            names.add(resolve(reference.path("$ref").asText()).path("name").asText());
        }
        return names;
    }

    private static Map<String, JsonNode> clientMessages() {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode reference : document.at("/operations/clientFrames/messages")) {
            JsonNode message = resolve(reference.path("$ref").asText());
            byName.put(message.path("name").asText(), message);
        }
        return byName;
    }

    private static JsonNode message(String name) {
        for (JsonNode reference : document.at("/operations/serverFrames/messages")) {
            JsonNode message = resolve(reference.path("$ref").asText());
            if (message.path("name").asText().equals(name)) {
                return message;
            }
        }
        throw new AssertionError("no server message " + name);
    }

    private static JsonNode resolve(String ref) {
        JsonNode node = document.at(ref.substring(1));
        return node.has("$ref") ? resolve(node.get("$ref").asText()) : node;
    }

    /** A small JSON Schema check covering what the document uses. {@code closed}: properties must be declared. */
    private static void validate(JsonNode value, JsonNode schema, String path, List<String> problems, boolean closed) {
        if (schema.has("$ref")) {
            validate(value, resolve(schema.get("$ref").asText()), path, problems, closed);
            return;
        }
        if (schema.has("oneOf")) {
            long matches = 0;
            for (JsonNode option : schema.get("oneOf")) {
                List<String> optionProblems = new ArrayList<>();
                validate(value, option, path, optionProblems, closed);
                matches += optionProblems.isEmpty() ? 1 : 0;
            }
            if (matches != 1) {
                problems.add(path + ": matches " + matches + " of oneOf");
            }
            return;
        }
        if (schema.has("const") && !schema.get("const").asText().equals(value.asText())) {
            problems.add(path + ": expected " + schema.get("const") + " but was " + value);
        }
        if (schema.has("enum")) {
            Set<String> allowed = new HashSet<>();
            schema.get("enum").forEach(v -> allowed.add(v.asText()));
            if (!allowed.contains(value.asText())) {
                problems.add(path + ": " + value + " not in " + allowed);
            }
        }
        if (schema.has("type") && !typeMatches(value, schema.get("type"))) {
            problems.add(path + ": expected type " + schema.get("type") + " but was " + value.getNodeType());
        }
        if (schema.has("pattern") && value.isTextual() && !Pattern.matches(schema.get("pattern").asText(), value.asText())) {
            problems.add(path + ": " + value + " does not match " + schema.get("pattern"));
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    problems.add(path + ": missing required " + required.asText());
                }
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path + "/" + field.getKey();
                if (properties.has(field.getKey())) {
                    validate(field.getValue(), properties.get(field.getKey()), fieldPath, problems, false);
                } else if (additional != null && additional.isObject()) {
                    validate(field.getValue(), additional, fieldPath, problems, false);
                } else if (closed || (additional != null && !additional.asBoolean(true))) {
                    problems.add(fieldPath + ": not documented");
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), schema.get("items"), path + "/" + i, problems, false);
            }
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (typeMatches(value, option)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    static String names(Set<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
