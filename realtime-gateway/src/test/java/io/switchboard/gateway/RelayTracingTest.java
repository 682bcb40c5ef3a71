package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.OtlpCollector;
import io.switchboard.testing.OtlpCollector.ReceivedSpan;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTraces;
import io.switchboard.testing.WsClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * One trace from a message POST to every socket it reached: the conversations service (a separate process,
 * exporting to the test's collector) spans the request and its transaction; the gateway under test spans the
 * delivery of each event the transaction wrote, in the same trace, child of and linked to that transaction.
 */
@QuarkusTest
@TestProfile(RelayTracingTest.Traced.class)
class RelayTracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return TestTraces.IN_MEMORY;
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void aMessagePostIsOneTraceFromTheRestRequestToEverySocketItReached() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        try (WsClient list = Gateway.connect(agent.token()); WsClient detail = Gateway.connect(agent.token());
                WsClient stranger = Gateway.connect(Gateway.tenant().inboxAgent().token())) {
            list.subscribe("list", "conversations", null, null);
            detail.subscribe("detail", "conversation:" + conversation, null, null);
            stranger.subscribe("list", "conversations", null, null);
            String traceId = TestTraces.traceId();
            String clientSpanId = TestTraces.spanId();

            tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, clientSpanId, true))
                    .body(Map.of("content", "Where is my parcel?"))
                    .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(201);
            detail.await(f -> "event".equals(f.path("type").asText()) && "message.created".equals(f.path("event").asText()), WAIT);
            list.awaitEvent("conversation.updated", conversation, WAIT);

            // the conversations service: the request (child of the caller's span) and its transaction
            List<ReceivedSpan> written = awaitSpans(() -> OtlpCollector.shared().trace(traceId), 2);
            ReceivedSpan request = only(written, s -> s.kind().equals("SPAN_KIND_SERVER"));
            assertThat(request.service()).isEqualTo("conversations-service");
            assertThat(request.parentSpanId()).isEqualTo(clientSpanId);
            ReceivedSpan transaction = only(written, s -> s.name().equals("db.transaction"));
            assertThat(transaction.parentSpanId()).isEqualTo(request.spanId());

            // the gateway: one relay span per event of that transaction, in the same trace
            List<SpanData> relays = awaitSpans(() -> exporter.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList(), 2);
            assertThat(relays).extracting(s -> s.getAttributes().asMap().get(io.opentelemetry.api.common.AttributeKey.stringKey(
                    "switchboard.event.type"))).containsExactlyInAnyOrder("message.created", "conversation.updated");
            for (SpanData relay : relays) {
                assertThat(relay.getName()).isEqualTo("gateway.relay");
                assertThat(relay.getKind()).isEqualTo(SpanKind.CONSUMER);
                assertThat(relay.getParentSpanId()).isEqualTo(transaction.spanId());
                assertThat(relay.getLinks()).anySatisfy(link -> {
                    assertThat(link.getSpanContext().getTraceId()).isEqualTo(traceId);
                    assertThat(link.getSpanContext().getSpanId()).isEqualTo(transaction.spanId());
                });
                assertThat(attribute(relay, "switchboard.account_id")).isEqualTo(tenant.accountId().toString());
                assertThat(relay.getAttributes().asMap().toString()).contains("switchboard.delivery.lag_ms");
            }
            // the message reached the detail socket only; the list change reached both of the agent's sockets
            SpanData message = relayOf(relays, "message.created");
            assertThat(attribute(message, "switchboard.sockets")).isEqualTo("1");
            assertThat(message.getEvents()).extracting(EventData::getName).containsExactly("frame");
            SpanData update = relayOf(relays, "conversation.updated");
            assertThat(attribute(update, "switchboard.sockets")).isEqualTo("2");
            assertThat(update.getEvents()).hasSize(2).allSatisfy(frame -> assertThat(frame.getAttributes().asMap().toString())
                    .contains("switchboard.connection.transport=websocket").contains("switchboard.connection.id=")
                    .contains("switchboard.agent_id=" + agent.id()));
            assertThat(stranger.frames("event")).isEmpty();
        }
    }

    @Test
    void aRequestTheCallerDidNotSampleCostsTheGatewayNoSpan() throws Exception {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        try (WsClient list = Gateway.connect(agent.token())) {
            list.subscribe("list", "conversations", null, null);
            String traceId = TestTraces.traceId();
            tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), false))
                    .body(Map.of("content", "untraced")).post("/api/v1/conversations/{id}/messages", conversation)
                    .then().statusCode(201);
            list.awaitEvent("conversation.updated", conversation, WAIT);
            Thread.sleep(300); // several export intervals
            assertThat(exporter.getFinishedSpanItems()).noneMatch(s -> s.getTraceId().equals(traceId));
        }
    }

    private static SpanData relayOf(List<SpanData> relays, String type) {
        return relays.stream().filter(s -> type.equals(attribute(s, "switchboard.event.type"))).findFirst().orElseThrow();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
                .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
    }

    private static <T> List<T> awaitSpans(java.util.function.Supplier<List<T>> spans, int atLeast) {
        List<T> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            found.clear();
            found.addAll(spans.get());
            assertThat(found).hasSizeGreaterThanOrEqualTo(atLeast);
        });
        return found;
    }

    private static <T> T only(List<T> spans, java.util.function.Predicate<T> which) {
        List<T> matching = spans.stream().filter(which).toList();
        assertThat(matching).as("spans %s", spans).hasSize(1);
        return matching.getFirst();
    }
}
