package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.OtlpCollector;
import io.switchboard.testing.OtlpCollector.ReceivedSpan;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTraces;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each fold tick that folds something is a span, linked to the transactions that wrote what it folded. */
@QuarkusTest
@TestProfile(FoldTracingTest.Traced.class)
class FoldTracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return TestTraces.IN_MEMORY;
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void aFoldTickIsASpanLinkedToTheWritersOfItsEvents() {
        Tenant tenant = Tenant.create(ConversationsServiceResource.baseUrl());
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Hello");
        String traceId = TestTraces.traceId();
        tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, TestTraces.spanId(), true))
                .body(Map.of("content", "Where is my parcel?"))
                .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(201);

        ReceivedSpan transaction = await().atMost(Duration.ofSeconds(15)).until(() -> OtlpCollector.shared().trace(traceId).stream()
                .filter(s -> s.name().equals("db.transaction")).findFirst().orElse(null), java.util.Objects::nonNull);
        SpanData fold = await().atMost(Duration.ofSeconds(15)).until(() -> exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("metrics.fold"))
                .filter(s -> s.getLinks().stream().map(LinkData::getSpanContext)
                        .anyMatch(link -> link.getTraceId().equals(traceId) && link.getSpanId().equals(transaction.spanId())))
                .findFirst().orElse(null), java.util.Objects::nonNull);

        assertThat(fold.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(fold.getParentSpanContext().isValid()).as("a tick is its own trace").isFalse();
        assertThat(fold.getAttributes().get(AttributeKey.longKey("switchboard.fold.events"))).isGreaterThanOrEqualTo(2);
        assertThat(fold.getAttributes().get(AttributeKey.longKey("switchboard.fold.accounts"))).isGreaterThanOrEqualTo(1);
        assertThat(fold.getLinks()).hasSizeLessThanOrEqualTo(16);
        List<SpanData> empty = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("metrics.fold"))
                .filter(s -> s.getAttributes().get(AttributeKey.longKey("switchboard.fold.events")) == 0).toList();
        assertThat(empty).as("ticks that folded nothing leave no span").isEmpty();
    }
}
