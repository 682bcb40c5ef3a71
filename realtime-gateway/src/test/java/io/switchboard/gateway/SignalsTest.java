package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ephemeral signals: typing indicators and presence (with the agent's status following it). */
@QuarkusTest
class SignalsTest {

    @Test
    void typingReachesTheOtherWatchersButNotTheSenderAndNotesStayWithAgents() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member alice = tenant.inboxAgent();
        Tenant.Member bob = tenant.inboxAgent();
        String customerToken = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customerToken, "hi");
        try (WsClient a = Gateway.connect(alice.token()); WsClient b = Gateway.connect(bob.token());
                WsClient customer = Gateway.connect(customerToken); WsClient elsewhere = Gateway.connect(tenant.adminToken())) {
            a.subscribe("c", "conversation:" + id, null, null);
            b.subscribe("c", "conversation:" + id, null, null);
            customer.subscribe("c", "conversation:" + id, null, null);

            a.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true));
            JsonNode seenByBob = b.await("typing", WAIT);
            assertThat(seenByBob.path("sender").path("id").asText()).isEqualTo(alice.id().toString());
            assertThat(seenByBob.path("sender").path("kind").asText()).isEqualTo("agent");
            assertThat(seenByBob.path("expiresInMs").asLong()).isPositive();
            customer.await(f -> "typing".equals(f.path("type").asText()) && !f.path("privateNote").asBoolean(), WAIT);

            // a second signal within the minimum interval is dropped; stopping always goes through
            a.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true));
            a.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", false));
            b.await(f -> "typing".equals(f.path("type").asText()) && !f.path("typing").asBoolean(), WAIT);
            assertThat(b.frames("typing").stream().filter(f -> f.path("typing").asBoolean()).count()).isEqualTo(1);

            sleep(1_100);   // the next start must wait for the minimum interval (gateway.typing.min-interval)
            a.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true, "privateNote", true));
            b.await(f -> "typing".equals(f.path("type").asText()) && f.path("privateNote").asBoolean(), WAIT);
            customer.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true));
            a.await(f -> "typing".equals(f.path("type").asText()) && "customer".equals(f.path("sender").path("kind").asText()), WAIT);

            assertThat(customer.frames("typing")).noneMatch(f -> f.path("privateNote").asBoolean());
            assertThat(a.frames("typing")).noneMatch(f -> alice.id().toString().equals(f.path("sender").path("id").asText()));
            assertThat(elsewhere.frames("typing")).isEmpty();
            // typing about a conversation one does not watch is not relayed
            elsewhere.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true));
            b.send(Map.of("type", "ping", "ref", "after"));
            b.await(f -> "after".equals(f.path("ref").asText()), WAIT);
        }
    }

    @Test
    void presenceFollowsConnectionsAndTheAgentsStatusFollowsPresence() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member watcher = tenant.agent("supervisor", List.of(), List.of());
        Tenant.Member agent = tenant.inboxAgent();
        try (WsClient team = Gateway.connect(watcher.token())) {
            team.subscribe("team", "agents", null, null);
            WsClient first = Gateway.connect(agent.token());
            JsonNode online = team.await(f -> "presence".equals(f.path("type").asText())
                    && agent.id().toString().equals(f.path("agentId").asText()) && f.path("online").asBoolean(), WAIT);
            await().atMost(WAIT).untilAsserted(() -> assertThat(status(tenant, agent)).isEqualTo("online"));
            // the status the agent chooses stands while it is connected
            tenant.api(agent.token()).body(Map.of("status", "busy")).put("/api/v1/agents/me/status").then().statusCode(200);
            WsClient second = Gateway.connect(agent.token());
            first.close();
            second.send(Map.of("type", "ping", "ref", "still"));
            second.await(f -> "still".equals(f.path("ref").asText()), WAIT);
            assertThat(status(tenant, agent)).isEqualTo("busy");
            second.close();
            JsonNode offline = team.await(f -> "presence".equals(f.path("type").asText())
                    && agent.id().toString().equals(f.path("agentId").asText()) && !f.path("online").asBoolean(), WAIT);
            assertThat(offline.path("seq").asLong()).isGreaterThan(online.path("seq").asLong());
            await().atMost(WAIT).untilAsserted(() -> assertThat(status(tenant, agent)).isEqualTo("offline"));
        }
    }

    private static String status(Tenant tenant, Tenant.Member agent) {
        return tenant.api(tenant.adminToken()).get("/api/v1/agents/{id}", agent.id()).then().statusCode(200).extract().path("status");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
