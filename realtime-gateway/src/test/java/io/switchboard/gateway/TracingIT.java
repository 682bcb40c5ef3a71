package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.OtlpCollector;
import io.switchboard.testing.OtlpCollector.ReceivedSpan;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTraces;
import io.switchboard.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged services (JVM, or native with -Pnative) as an operator runs them with tracing switched on, both
 * exporting over OTLP to a collector: one message POST is one trace from the REST request through its
 * transaction to the gateway's delivery to the connected socket.
 */
class TracingIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void aMessagePostIsOneTraceAcrossTheServicesAsTheCollectorReceivesIt() {
        String conversations = ConversationsServiceResource.baseUrl();
        Map<String, String> env = ServiceProcess.testEnvironment();
        env.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversations);
        env.put("GATEWAY_SERVICE_TOKEN", TestTokens.service());
        env.putAll(OtlpCollector.shared().exportEnvironment());
        try (ServiceProcess gateway = ServiceProcess.start("realtime-gateway", env, List.of("-Xmx384m"))) {
            Tenant tenant = Tenant.create(conversations);
            Tenant.Member agent = tenant.inboxAgent();
            String customer = tenant.customerToken("c-" + UUID.randomUUID());
            UUID conversation = tenant.startConversation(customer, "Hello");
            try (WsClient console = WsClient.connect("ws://localhost:" + gateway.port() + "/ws", agent.token())) {
                console.await("authenticated", WAIT);
                console.subscribe("detail", "conversation:" + conversation, null, null);
                String traceId = TestTraces.traceId();
                String callerSpan = TestTraces.spanId();
                String message = tenant.api(customer).header("traceparent", TestTraces.traceparent(traceId, callerSpan, true))
                        .body(Map.of("content", "Where is my parcel?"))
                        .post("/api/v1/conversations/{id}/messages", conversation).then().statusCode(201).extract().path("id");
                console.awaitEvent("message.created", message, WAIT);

                List<ReceivedSpan> trace = await().atMost(WAIT).until(() -> OtlpCollector.shared().trace(traceId),
                        spans -> spans.stream().filter(s -> s.name().equals("gateway.relay")).count() >= 2);
                ReceivedSpan request = only(trace, "conversations-service", "SPAN_KIND_SERVER");
                assertThat(request.parentSpanId()).isEqualTo(callerSpan);
                ReceivedSpan transaction = trace.stream().filter(s -> s.name().equals("db.transaction")).findFirst().orElseThrow();
                assertThat(transaction.parentSpanId()).isEqualTo(request.spanId());
                List<ReceivedSpan> relays = trace.stream().filter(s -> s.name().equals("gateway.relay")).toList();
                assertThat(relays).allSatisfy(relay -> {
                    assertThat(relay.service()).isEqualTo("realtime-gateway");
                    assertThat(relay.kind()).isEqualTo("SPAN_KIND_CONSUMER");
                    assertThat(relay.parentSpanId()).isEqualTo(transaction.spanId());
                    assertThat(relay.attributes()).containsEntry("switchboard.account_id", tenant.accountId().toString());
                });
                assertThat(relays).extracting(r -> r.attributes().get("switchboard.event.type"))
                        .containsExactlyInAnyOrder("message.created", "conversation.updated");
                assertThat(relays).extracting(r -> r.attributes().get("switchboard.sockets")).containsOnly("1");
            }
        }
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String service, String kind) {
        List<ReceivedSpan> matching = trace.stream().filter(s -> s.service().equals(service) && s.kind().equals(kind)).toList();
        assertThat(matching).as("%s %s spans in %s", service, kind, trace).hasSize(1);
        return matching.getFirst();
    }
}
