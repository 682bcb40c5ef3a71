package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The metrics topic: the metrics service's dashboard, pushed when a fold changes the account's figures. */
@QuarkusTest
class MetricsTopicTest {

    @Test
    void aSupervisorDashboardReceivesNewFiguresAfterAChange() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(tenant.inboxId()), List.of());
        try (WsClient dashboard = Gateway.connect(supervisor.token())) {
            JsonNode ack = dashboard.subscribe("m", "metrics", null, null);
            assertThat(ack.path("type").asText()).isEqualTo("subscribed");
            assertThat(ack.path("cursor").isNull()).isTrue();
            JsonNode first = dashboard.await("metrics", Duration.ofSeconds(20));
            assertThat(first.path("data").path("accountId").asText()).isEqualTo(tenant.accountId().toString());

            UUID conversation = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Help, please");
            JsonNode updated = dashboard.await(f -> "metrics".equals(f.path("type").asText())
                    && f.path("data").path("overview").path("waiting").asInt() == 1, Duration.ofSeconds(20));
            assertThat(updated.path("id").asText()).isEqualTo("m");
            assertThat(updated.path("data").path("queue").path("depth").asInt()).isEqualTo(1);
            assertThat(updated.path("data").path("messages").path("incoming").asLong()).isEqualTo(1);
            assertThat(conversation).isNotNull();

            dashboard.send("{\"type\":\"unsubscribe\",\"id\":\"m\"}");
            assertThat(dashboard.await("unsubscribed", WAIT).path("id").asText()).isEqualTo("m");
        }
    }

    @Test
    void agentsAndCustomersMayNotSubscribe() {
        Tenant tenant = Gateway.tenant();
        try (WsClient agent = Gateway.connect(tenant.inboxAgent().token());
                WsClient customer = Gateway.connect(tenant.customerToken("c-" + UUID.randomUUID()))) {
            JsonNode refused = agent.subscribe("m", "metrics", null, null);
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("forbidden");
            assertThat(customer.subscribe("m", "metrics", null, null).path("code").asText()).isEqualTo("forbidden");
        }
    }
}
