package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Changes made through the conversations service's API arrive on sockets as small deltas. */
@QuarkusTest
class DeliveryTest {

    @Test
    void aDashboardListFollowsConversationsEnteringChangingAndLeavingItsView() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        try (WsClient dashboard = Gateway.connect(agent.token())) {
            JsonNode ack = dashboard.subscribe("open", "conversations", Map.of("status", List.of("open")), null);
            assertThat(ack.path("type").asText()).isEqualTo("subscribed");
            assertThat(ack.path("cursor").asText()).startsWith("v1.");

            String customer = tenant.customerToken("c-" + UUID.randomUUID());
            UUID id = tenant.startConversation(customer, "Where is my parcel?");
            JsonNode created = dashboard.awaitEvent("conversation.created", id, WAIT);
            assertThat(created.path("subs").path("open").asText()).isEqualTo("enter");
            assertThat(created.path("version").asLong()).isEqualTo(1);
            assertThat(created.path("data").path("lastMessagePreview").asText()).isEqualTo("Where is my parcel?");
            assertThat(created.path("cursor").asText()).startsWith("v1.");

            tenant.sendMessage(customer, id, Map.of("content", "Hello?")).statusCode(201);
            JsonNode updated = dashboard.awaitEvent("conversation.updated", id, WAIT);
            assertThat(updated.path("subs").path("open").asText()).isEqualTo("change");
            assertThat(updated.path("version").asLong()).isEqualTo(2);
            assertThat(updated.path("changes").path("agentUnreadCount").asInt()).isEqualTo(2);
            assertThat(updated.has("data")).as("a change carries the delta only").isFalse();

            tenant.api(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id).then().statusCode(200);
            JsonNode resolved = dashboard.awaitEvent("conversation.status_changed", id, WAIT);
            assertThat(resolved.path("subs").path("open").asText()).isEqualTo("leave");
            assertThat(resolved.has("changes")).as("leaving needs no fields").isFalse();
            // the message itself is not a list event
            assertThat(dashboard.frames("event")).noneMatch(f -> f.path("event").asText().equals("message.created"));
        }
    }

    @Test
    void everyConnectionOfAnAccountSeesItsOwnSubscriptionIdsInTheSameEvent() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        try (WsClient first = Gateway.connect(agent.token()); WsClient second = Gateway.connect(agent.token());
                WsClient other = Gateway.connect(agent.token())) {
            first.subscribe("list", "conversations", null, null);
            second.subscribe("list", "conversations", null, null);
            other.subscribe("mine", "conversations", Map.of("status", List.of("open")), null);

            UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hello");

            for (WsClient sameIds : List.of(first, second)) {
                JsonNode created = sameIds.awaitEvent("conversation.created", id, WAIT);
                assertThat(created.path("subs").properties()).hasSize(1);
                assertThat(created.path("subs").path("list").asText()).isEqualTo("enter");
            }
            JsonNode created = other.awaitEvent("conversation.created", id, WAIT);
            assertThat(created.path("subs").properties()).hasSize(1);
            assertThat(created.path("subs").path("mine").asText()).isEqualTo("enter");
        }
    }

    @Test
    void aConversationTopicCarriesMessagesStatusAndRatingsButCustomersNeverSeeNotes() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customerToken = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customerToken, "Hi");
        try (WsClient agentSocket = Gateway.connect(agent.token()); WsClient customer = Gateway.connect(customerToken)) {
            assertThat(agentSocket.subscribe("c", "conversation:" + id, null, null).path("type").asText()).isEqualTo("subscribed");
            assertThat(customer.subscribe("mine", "conversation:" + id, null, null).path("type").asText()).isEqualTo("subscribed");

            String note = tenant.sendMessage(agent.token(), id, Map.of("content", "VIP", "privateNote", true)).extract().path("id");
            String reply = tenant.sendMessage(agent.token(), id, Map.of("content", "How can I help?")).extract().path("id");

            JsonNode replyFrame = customer.awaitEvent("message.created", reply, WAIT);
            assertThat(replyFrame.path("data").path("content").asText()).isEqualTo("How can I help?");
            assertThat(replyFrame.path("conversationId").asText()).isEqualTo(id.toString());
            agentSocket.awaitEvent("message.created", note, WAIT);
            agentSocket.awaitEvent("message.created", reply, WAIT);
            assertThat(customer.frames("event")).noneMatch(f -> f.path("id").asText().equals(note));

            tenant.api(customerToken).body(Map.of("status", "read")).put("/api/v1/conversations/{c}/messages/{m}/status", id, reply)
                    .then().statusCode(200);
            JsonNode read = agentSocket.awaitEvent("message.status_changed", reply, WAIT);
            assertThat(read.path("changes").path("status").asText()).isEqualTo("read");

            tenant.api(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id).then().statusCode(200);
            customer.awaitEvent("conversation.status_changed", id, WAIT);
            tenant.api(customerToken).body(Map.of("rating", 5)).put("/api/v1/conversations/{id}/csat", id).then().statusCode(201);
            JsonNode rating = agentSocket.await(f -> "csat.submitted".equals(f.path("event").asText()), WAIT);
            assertThat(rating.path("data").path("rating").asInt()).isEqualTo(5);
        }
    }

    @Test
    void theQueueAndAgentsTopicsFollowWaitingConversationsAndTheTeam() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        Tenant.Member colleague = tenant.inboxAgent();
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("q", "queue", null, null);
            socket.subscribe("team", "agents", null, null);
            UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "waiting");
            JsonNode entered = socket.awaitEvent("conversation.created", id, WAIT);
            assertThat(entered.path("subs").path("q").asText()).isEqualTo("enter");
            assertThat(entered.path("data").path("waitingSince").isTextual()).isTrue();
            tenant.api(agent.token()).body(Map.of("assigneeId", agent.id())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(200);
            assertThat(socket.awaitEvent("conversation.assigned", id, WAIT).path("subs").path("q").asText()).isEqualTo("leave");

            tenant.api(colleague.token()).body(Map.of("status", "busy")).put("/api/v1/agents/me/status").then().statusCode(200);
            JsonNode status = socket.await(f -> "agent.status_changed".equals(f.path("event").asText())
                    && colleague.id().toString().equals(f.path("id").asText()) && "busy".equals(f.at("/changes/status").asText()), WAIT);
            assertThat(status.path("subs").path("team").asText()).isEqualTo("event");
        }
    }
}
