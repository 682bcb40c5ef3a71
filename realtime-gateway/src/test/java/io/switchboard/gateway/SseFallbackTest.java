package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.switchboard.testing.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The SSE fallback: same auth, same frames, resume with Last-Event-ID. */
@QuarkusTest
class SseFallbackTest {

    private static String url(String query) {
        return "http://localhost:" + RestAssured.port + "/sse?" + query;
    }

    @Test
    void withoutAValidTokenTheStreamIsRefusedAsAProblem() throws Exception {
        try (SseClient refused = SseClient.open(url("subscribe=queue"), null)) {
            assertThat(refused.status).isEqualTo(401);
            assertThat(refused.text()).contains("https://switchboard.dev/problems/invalid-token");
        }
        try (SseClient refused = SseClient.open(url("subscribe=queue&access_token=nonsense"), null)) {
            assertThat(refused.status).isEqualTo(401);
        }
    }

    @Test
    void eventsStreamWithTheirCursorAsIdAndLastEventIdResumesWithoutGaps() throws Exception {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "hi");
        String query = "access_token=" + agent.token() + "&subscribe=conversation:" + id + ",conversations&filter.status=open";
        String lastId;
        try (SseClient stream = SseClient.open(url(query), null)) {
            assertThat(stream.status).isEqualTo(200);
            stream.await(e -> "authenticated".equals(e.name()), WAIT);
            stream.await(e -> "subscribed".equals(e.name()) && "conversations".equals(e.data().path("id").asText()), WAIT);
            stream.await(e -> "subscribed".equals(e.name()) && ("conversation:" + id).equals(e.data().path("id").asText()), WAIT);
            String first = tenant.sendMessage(customer, id, Map.of("content", "first")).extract().path("id");
            SseClient.Event event = stream.await(e -> "event".equals(e.name()) && first.equals(e.data().path("id").asText()), WAIT);
            assertThat(event.id()).isEqualTo(event.data().path("cursor").asText());
            assertThat(event.data().path("subs").has("conversation:" + id)).isTrue();
            SseClient.Event listChange = stream.await(e -> "event".equals(e.name()) && "conversation.updated".equals(e.data().path("event").asText()), WAIT);
            assertThat(listChange.data().path("subs").path("conversations").asText()).isEqualTo("change");
            lastId = listChange.id();
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            missed.add(tenant.sendMessage(customer, id, Map.of("content", "missed " + i)).extract().path("id"));
        }
        try (SseClient resumed = SseClient.open(url(query), lastId)) {
            resumed.await(e -> "event".equals(e.name()) && missed.get(2).equals(e.data().path("id").asText()), WAIT);
            List<String> messages = resumed.events().stream().filter(e -> "event".equals(e.name())
                    && "message.created".equals(e.data().path("event").asText())).map(e -> e.data().path("id").asText()).toList();
            assertThat(messages).containsExactlyElementsOf(missed);
        }
    }
}
