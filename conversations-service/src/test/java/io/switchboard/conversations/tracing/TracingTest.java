package io.switchboard.conversations.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTraces;
import io.switchboard.testing.TestDatabase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A traced request's spans (the REST request and its database transaction) and the events it wrote, which carry
 * the transaction span's context so the gateway can continue the trace (docs/event-log.md, "Trace context").
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(TestTraces.IN_MEMORY);
            // the production log format, to a file the test reads
            config.putAll(Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.json.enabled", "true"));
            return config;
        }
    }

    static final Path LOG_FILE = Path.of("target", "tracing-test.log").toAbsolutePath();

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void aRequestsLogLinesAreJsonWithItsTraceAndAccountButNeitherTokenNorContent() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        String traceId = TestTraces.traceId();
        String secret = "my card number is 4111 1111 1111 1111";

        tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), true)).contentType("text/plain")
                .body(secret).post("/test-only/log-probe").then().statusCode(204);

        JsonNode line = await().atMost(Duration.ofSeconds(10)).until(() -> probeLine(traceId), java.util.Objects::nonNull);
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo(traceId);
        assertThat(line.path("mdc").path("spanId").asText()).hasSize(16);
        assertThat(line.path("mdc").path("accountId").asText()).isEqualTo(tenant.accountId().toString());
        assertThat(line.toString()).doesNotContain(customer).doesNotContain(secret).doesNotContain("Bearer");
    }

    private static JsonNode probeLine(String traceId) throws Exception {
        if (!Files.exists(LOG_FILE)) {
            return null;
        }
        for (String text : Files.readAllLines(LOG_FILE)) {
            if (text.contains(traceId) && text.contains("log probe")) {
                return new ObjectMapper().readTree(text);
            }
        }
        return null;
    }

    @Test
    void aMessagePostIsOneTraceFromTheRequestThroughItsTransactionToTheEventsItWrote() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        String traceId = TestTraces.traceId();
        String clientSpanId = TestTraces.spanId();

        tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, clientSpanId, true))
                .body(Map.of("content", "Where is my parcel?"))
                .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(201);

        List<SpanData> trace = awaitTrace(traceId, 2);
        SpanData request = only(trace, s -> s.getKind() == SpanKind.SERVER);
        assertThat(request.getParentSpanId()).isEqualTo(clientSpanId);
        assertThat(request.getName()).isEqualTo("POST /api/v1/conversations/{conversationId}/messages");
        assertThat(request.getAttributes().asMap().toString()).contains("switchboard.account_id=" + tenant.accountId());
        SpanData transaction = only(trace, s -> s.getName().equals("db.transaction"));
        assertThat(transaction.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(transaction.getAttributes().asMap().toString()).contains("db.transaction.outcome=commit");
        assertThat(transaction.getEndEpochNanos()).isLessThanOrEqualTo(request.getEndEpochNanos());

        // the traced POST wrote message.created and conversation.updated, both in the transaction's span
        assertThat(eventsOfTrace(tenant.accountId(), traceId))
                .containsExactly("message.created 00-" + traceId + "-" + transaction.getSpanId() + "-01",
                        "conversation.updated 00-" + traceId + "-" + transaction.getSpanId() + "-01");
    }

    @Test
    void anUnsampledCallerLeavesNoSpansAndItsEventsSayNotSampled() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        String traceId = TestTraces.traceId();

        tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), false))
                .body(Map.of("content", "Nobody traces this"))
                .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(201);

        assertThat(eventsOfTrace(tenant.accountId(), traceId)).hasSize(2).allSatisfy(t -> assertThat(t).endsWith("-00"));
        Thread.sleep(300); // two export intervals
        assertThat(exporter.getFinishedSpanItems()).noneMatch(s -> s.getTraceId().equals(traceId));
    }

    @Test
    void aRolledBackTransactionIsAnErrorSpanAndWritesNothing() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        String traceId = TestTraces.traceId();
        // too long: refused inside the transaction; another account's agent: 404 inside the transaction
        Tenant other = Tenant.create();
        tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), true))
                .body(Map.of("content", "x".repeat(10_001)))
                .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(400);
        other.api(other.inboxAgent().token()).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), true))
                .body(Map.of("content", "not yours"))
                .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(404);

        List<SpanData> trace = awaitTrace(traceId, 2);
        assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.SERVER).hasSize(2);
        assertThat(trace).filteredOn(s -> s.getName().equals("db.transaction"))
                .allSatisfy(s -> assertThat(s.getAttributes().asMap().toString()).contains("db.transaction.outcome=rollback"));
        assertThat(eventsOfTrace(tenant.accountId(), traceId)).isEmpty();
        assertThat(eventsOfTrace(other.accountId(), traceId)).isEmpty();
    }

    private List<SpanData> awaitTrace(String traceId, int atLeast) {
        List<SpanData> trace = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            trace.clear();
            exporter.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).forEach(trace::add);
            assertThat(trace).hasSizeGreaterThanOrEqualTo(atLeast);
        });
        return trace;
    }

    private static SpanData only(List<SpanData> spans, java.util.function.Predicate<SpanData> which) {
        List<SpanData> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("spans %s", spans).hasSize(1);
        return matching.getFirst();
    }

    /** "type traceparent" of each event of the account written in the trace, in log order. */
    private static List<String> eventsOfTrace(UUID account, String traceId) throws Exception {
        List<String> events = new ArrayList<>();
        try (Connection connection = TestDatabase.shared().connect();
                PreparedStatement query = connection.prepareStatement("SELECT event_type, traceparent FROM event_log.events "
                        + "WHERE account_id = ? AND traceparent LIKE ? ORDER BY tx_id, seq")) {
            query.setObject(1, account);
            query.setString(2, "00-" + traceId + "-%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(rows.getString(1) + " " + rows.getString(2));
                }
            }
        }
        return events;
    }
}
