package io.switchboard.gateway;

import static io.switchboard.testing.fuzz.ApiFuzzer.quote;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.WsClient;
import io.switchboard.testing.fuzz.HostileInput;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.yaml.snakeyaml.Yaml;

/**
 * Generated hostile frames on a real WebSocket of a packaged gateway (an admin's, then a customer's): wrong
 * types and shapes, unknown types, garbage and forged cursors, foreign and missing ids, text that is not JSON,
 * frames over the size limit in bytes, binary frames. After each, a ping must be answered within 5 s (the
 * connection is neither stuck nor dropped), unless the gateway closed it with a close code the protocol
 * documents; every frame it sends must be a documented frame type, every error a documented code.
 * jqwik prints the seed of a failure; more tries: {@code -Djqwik.tries.default=5000}.
 */
class FrameFuzzIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Set<Integer> DOCUMENTED_CLOSES = Set.of(1009, 4001, 4002, 4008, 4009, 4010);
    private static final AtomicLong REFS = new AtomicLong();

    private static ServiceProcess gateway;
    private static Tenant tenant;
    private static Tenant foreign;
    private static List<String> tokens;
    private static List<String> conversations;
    private static Set<String> frameTypes;
    private static Set<String> errorCodes;
    private static WsClient socket;
    private static int seen;

    @BeforeContainer
    static void start() throws Exception {
        String conversationsUrl = ConversationsServiceResource.baseUrl();
        Map<String, String> environment = ServiceProcess.testEnvironment();
        environment.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversationsUrl);
        environment.put("GATEWAY_SERVICE_TOKEN", TestTokens.service());
        // floods are tested elsewhere: here every frame should be judged on its content
        environment.put("GATEWAY_LIMITS_FRAMES_PER_SECOND", "10000");
        environment.put("GATEWAY_LIMITS_FRAME_BURST", "10000");
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        gateway = ServiceProcess.start("realtime-gateway", environment, List.of("-Xmx384m"));
        tenant = Tenant.create(conversationsUrl);
        foreign = Tenant.create(conversationsUrl);
        String customer = tenant.customerToken("fuzz-" + UUID.randomUUID());
        conversations = List.of(tenant.startConversation(customer, "mine").toString(),
                foreign.startConversation(foreign.customerToken("f-" + UUID.randomUUID()), "theirs").toString(), UUID.randomUUID().toString());
        tokens = List.of(tenant.adminToken(), customer, foreign.adminToken(), "not.a.token",
                TestTokens.agent(tenant.accountId(), UUID.randomUUID(), "agent"));
        JsonNode asyncApi = JSON.valueToTree(new Yaml().load(Files.readString(ServiceProcess.repositoryRoot()
                .resolve("realtime-gateway/src/main/resources/META-INF/resources/asyncapi.yaml"))));
        frameTypes = new HashSet<>();
        asyncApi.at("/components/messages").forEach(message -> frameTypes.add(message.at("/payload/properties/type/const").asText()));
        errorCodes = new HashSet<>();
        asyncApi.at("/components/messages/error/payload/properties/code/enum").forEach(code -> errorCodes.add(code.asText()));
    }

    @AfterContainer
    static void stop() {
        if (socket != null) {
            socket.close();
        }
        gateway.close();
    }

    @Property
    void everyFrameIsAnsweredWithDocumentedFramesAndNeverHangsTheConnection(@ForAll("frames") String frame) {
        if (socket == null || socket.isClosed()) {
            socket = WsClient.connect("ws://localhost:" + gateway.port() + "/ws", REFS.get() % 2 == 0 ? tenant.adminToken() : tokens.get(1));
            socket.await("authenticated", ANSWER_WITHIN);
            seen = 0;
        }
        if (frame.startsWith("binary:")) {
            socket.sendBinary(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            socket.send(frame);
        }
        boolean oversize = frame.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_536;
        String ref = "probe-" + REFS.incrementAndGet();
        try {
            socket.send(Map.of("type", "ping", "ref", ref));
        } catch (RuntimeException closing) {
            // the frame closed the connection: judged below by its close code
        }
        boolean answered;
        try {
            socket.await(f -> "pong".equals(f.path("type").asText()) && ref.equals(f.path("ref").asText()), ANSWER_WITHIN);
            answered = true;
        } catch (AssertionError noPong) {
            answered = false;
        }
        if (answered) {
            assertThat(oversize).as("a frame over 64 KiB (in bytes) was accepted: %s", abbreviate(frame)).isFalse();
        } else {
            assertThat(socket.isClosed()).as("no pong within %s and the connection is still open after %s", ANSWER_WITHIN, abbreviate(frame)).isTrue();
            int code = socket.awaitClose(ANSWER_WITHIN).code();
            assertThat(code).as("close code after %s", abbreviate(frame)).isIn(oversize ? Set.of(1009) : DOCUMENTED_CLOSES);
        }
        List<JsonNode> received = socket.frames();
        for (JsonNode answer : received.subList(Math.min(seen, received.size()), received.size())) {
            assertThat(answer.path("type").asText()).as("frame type of %s after %s", answer, abbreviate(frame)).isIn(frameTypes);
            if ("error".equals(answer.path("type").asText())) {
                assertThat(answer.path("code").asText()).as("error code after %s", abbreviate(frame)).isIn(errorCodes);
            }
        }
        seen = received.size();
    }

    @Provide
    Arbitrary<String> frames() {
        return Arbitraries.randoms().map(FrameFuzzIT::frame);
    }

    private static String frame(Random random) {
        return switch (random.nextInt(20)) {
            case 0 -> "{not json";
            case 1 -> "[1,2,3]";
            case 2 -> "\"just a string\"";
            case 3 -> "{\"type\":\"ping\",\"pad\":\"" + "€".repeat(22_000 + random.nextInt(2)) + "\"}";
            case 4 -> "binary:" + HostileInput.text(random);
            case 5 -> "null";
            default -> object(random);
        };
    }

    private static String object(Random random) {
        String[] types = {"auth", "ping", "subscribe", "subscribe", "subscribe", "unsubscribe", "typing", "typing", "teleport", ""};
        StringBuilder json = new StringBuilder("{");
        json.append("\"type\":").append(random.nextInt(15) == 0 ? "5" : quote(types[random.nextInt(types.length)]));
        String[] topics = {"conversations", "queue", "agents", "metrics", "conversation:" + any(random, conversations), "conversation:", "conversation:x",
            HostileInput.text(random)};
        field(json, random, "id", random.nextInt(4) == 0 ? HostileInput.text(random) : "s" + random.nextInt(80));
        field(json, random, "topic", topics[random.nextInt(topics.length)]);
        field(json, random, "since", random.nextBoolean() ? HostileInput.cursor(random) : "v1.0.0");
        field(json, random, "ref", random.nextBoolean() ? "r" + random.nextInt(100) : HostileInput.text(random));
        field(json, random, "token", any(random, tokens));
        field(json, random, "conversationId", random.nextInt(3) == 0 ? HostileInput.text(random) : any(random, conversations));
        if (random.nextBoolean()) {
            json.append(",\"typing\":").append(random.nextBoolean() ? "true" : random.nextBoolean() ? "\"yes\"" : "1");
        }
        if (random.nextInt(3) == 0) {
            json.append(",\"filter\":").append(switch (random.nextInt(5)) {
                case 0 -> "{\"status\":[\"open\",5]}";
                case 1 -> "{\"assignee\":" + quote(HostileInput.text(random)) + "}";
                case 2 -> "{\"inboxId\":\"" + tenant.inboxId() + "\",\"archived\":\"maybe\"}";
                case 3 -> "[]";
                default -> "{\"colour\":\"red\"}";
            });
        }
        if (random.nextInt(4) == 0) {
            json.append(",\"privateNote\":").append(random.nextBoolean());
        }
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, Random random, String name, String value) {
        if (random.nextInt(3) != 0) {
            json.append(',').append(quote(name)).append(':').append(random.nextInt(12) == 0 ? String.valueOf(random.nextInt(100)) : quote(value));
        }
    }

    private static String any(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String abbreviate(String frame) {
        return frame.length() <= 300 ? frame : frame.substring(0, 300) + "… (" + frame.length() + " chars)";
    }
}
