package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every event is authorized for every receiver: tenant, inbox/team membership, private notes, customer scope. */
@QuarkusTest
class AuthorizationMatrixTest {

    @Test
    void noFrameEverCrossesAnAccountOrReachesAnAgentOutsideTheConversation() {
        Tenant mine = Gateway.tenant();
        Tenant theirs = Gateway.tenant();
        Tenant.Member insider = mine.inboxAgent();
        Tenant.Member outsider = mine.agent("agent", List.of(), List.of());
        Tenant.Member supervisor = mine.agent("supervisor", List.of(), List.of());
        Tenant.Member theirAdmin = new Tenant.Member(theirs.adminId(), theirs.adminToken());
        try (WsClient in = Gateway.connect(insider.token()); WsClient out = Gateway.connect(outsider.token());
                WsClient sup = Gateway.connect(supervisor.token()); WsClient foreign = Gateway.connect(theirAdmin.token())) {
            for (WsClient client : List.of(in, out, sup, foreign)) {
                client.subscribe("all", "conversations", null, null);
                client.subscribe("team", "agents", null, null);
            }
            UUID id = mine.startConversation(mine.customerToken("c-" + UUID.randomUUID()), "secret order 42");
            mine.sendMessage(insider.token(), id, Map.of("content", "note", "privateNote", true)).statusCode(201);
            // a marker in the foreign account proves the foreign socket is live and would have received ours by now
            UUID marker = theirs.startConversation(theirs.customerToken("m-" + UUID.randomUUID()), "marker");
            in.awaitEvent("conversation.created", id, WAIT);
            sup.awaitEvent("conversation.created", id, WAIT);
            foreign.awaitEvent("conversation.created", marker, WAIT);

            assertThat(out.frames("event")).noneMatch(f -> f.path("id").asText().equals(id.toString()));
            assertThat(foreign.frames("event")).noneMatch(f -> f.toString().contains(id.toString()));
            assertThat(in.frames("event")).noneMatch(f -> f.toString().contains(marker.toString()));

            // assigning the conversation to the outsider brings it into the outsider's view
            mine.api(supervisor.token()).body(Map.of("assigneeId", outsider.id())).put("/api/v1/conversations/{id}/assignment", id)
                    .then().statusCode(200);
            JsonNode entered = out.awaitEvent("conversation.assigned", id, WAIT);
            assertThat(entered.path("subs").path("all").asText()).isEqualTo("enter");
            assertThat(entered.path("data").path("id").asText()).isEqualTo(id.toString());
            // and taking it away makes it leave, without revealing where it went
            mine.api(supervisor.token()).body(Map.of("assigneeId", supervisor.id())).put("/api/v1/conversations/{id}/assignment", id)
                    .then().statusCode(200);
            JsonNode left = out.await(f -> "conversation.assigned".equals(f.path("event").asText())
                    && "leave".equals(f.path("subs").path("all").asText()), WAIT);
            assertThat(left.has("changes")).isFalse();
            assertThat(left.has("data")).isFalse();
        }
    }

    @Test
    void customersReceiveOnlyTheirOwnConversationsPublicEvents() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String alice = tenant.customerToken("alice-" + UUID.randomUUID());
        String mallory = tenant.customerToken("mallory-" + UUID.randomUUID());
        UUID aliceConversation = tenant.startConversation(alice, "my address is ...");
        tenant.startConversation(mallory, "hi");
        try (WsClient mallorySocket = Gateway.connect(mallory); WsClient aliceSocket = Gateway.connect(alice)) {
            JsonNode refused = mallorySocket.subscribe("spy", "conversation:" + aliceConversation, null, null);
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("not_found");
            for (String topic : List.of("conversations", "queue", "agents")) {
                JsonNode forbidden = mallorySocket.subscribe("t-" + topic, topic, null, null);
                assertThat(forbidden.path("code").asText()).isEqualTo("forbidden");
            }
            aliceSocket.subscribe("mine", "conversation:" + aliceConversation, null, null);
            tenant.sendMessage(agent.token(), aliceConversation, Map.of("content", "internal", "privateNote", true)).statusCode(201);
            String reply = tenant.sendMessage(agent.token(), aliceConversation, Map.of("content", "public reply")).extract().path("id");
            aliceSocket.awaitEvent("message.created", reply, WAIT);
            assertThat(aliceSocket.frames("event")).noneMatch(f -> f.path("data").path("privateNote").asBoolean(false));
            assertThat(aliceSocket.frames("event")).noneMatch(f -> "internal".equals(f.path("data").path("content").asText()));
            assertThat(mallorySocket.frames("event")).isEmpty();
        }
    }

    @Test
    void aMembershipChangeTakesEffectForLiveConnectionsAndAsksViewsToReload() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.agent("agent", List.of(), List.of());
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("all", "conversations", null, null);
            UUID before = tenant.startConversation(tenant.customerToken("b-" + UUID.randomUUID()), "before");
            tenant.api(tenant.adminToken()).body(Map.of("inboxIds", List.of(tenant.inboxId()), "teamIds", List.of()))
                    .put("/api/v1/agents/{id}/memberships", agent.id()).then().statusCode(200);
            JsonNode reset = socket.await("reset", WAIT);
            assertThat(reset.path("id").asText()).isEqualTo("all");
            assertThat(reset.path("reason").asText()).isEqualTo("access_changed");
            socket.subscribe("all2", "conversations", null, null);
            UUID after = tenant.startConversation(tenant.customerToken("a-" + UUID.randomUUID()), "after");
            socket.awaitEvent("conversation.created", after, WAIT);
            assertThat(socket.frames("event")).noneMatch(f -> f.path("id").asText().equals(before.toString()));
        }
    }

    @Test
    void losingTheInboxEndsTheConversationTopicAndNothingOfItFollowsNotEvenTyping() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        Tenant.Member colleague = tenant.inboxAgent();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "hi");
        try (WsClient socket = Gateway.connect(agent.token()); WsClient typist = Gateway.connect(colleague.token())) {
            socket.subscribe("c", "conversation:" + id, null, null);
            typist.subscribe("c", "conversation:" + id, null, null);
            tenant.api(tenant.adminToken()).body(Map.of("inboxIds", List.of(), "teamIds", List.of()))
                    .put("/api/v1/agents/{id}/memberships", agent.id()).then().statusCode(200);
            JsonNode ended = socket.await(f -> "unsubscribed".equals(f.path("type").asText()) && "c".equals(f.path("id").asText()), WAIT);
            assertThat(ended.path("reason").asText()).isEqualTo("access_revoked");
            typist.send(Map.of("type", "typing", "conversationId", id.toString(), "typing", true, "privateNote", true));
            String later = tenant.sendMessage(colleague.token(), id, Map.of("content", "after")).statusCode(201).extract().path("id");
            try (WsClient watcher = Gateway.connect(tenant.adminToken())) {
                watcher.subscribe("c", "conversation:" + id, null, null);
                tenant.sendMessage(colleague.token(), id, Map.of("content", "marker")).statusCode(201);
                watcher.await(f -> "marker".equals(f.path("data").path("content").asText()), WAIT);
            }
            int endedAt = socket.frames().indexOf(ended);
            assertThat(socket.frames().subList(endedAt + 1, socket.frames().size()))
                    .noneMatch(f -> f.toString().contains(id.toString()) || f.toString().contains(later));
        }
    }

    @Test
    void aResumeAfterTheMembershipsChangedWhileAwayAsksTheViewToReload() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "in the inbox");
        String cursor;
        try (WsClient socket = Gateway.connect(agent.token())) {
            cursor = socket.subscribe("all", "conversations", null, null).path("cursor").asText();
        }
        tenant.api(tenant.adminToken()).body(Map.of("inboxIds", List.of(), "teamIds", List.of()))
                .put("/api/v1/agents/{id}/memberships", agent.id()).then().statusCode(200);
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("all", "conversations", null, cursor);
            JsonNode reset = socket.await(f -> "reset".equals(f.path("type").asText()) && "all".equals(f.path("id").asText()), WAIT);
            assertThat(reset.path("reason").asText()).isEqualTo("access_changed");
        }
    }

    @Test
    void aConversationSubscriptionEndsWhenAccessIsLost() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member assignee = tenant.agent("agent", List.of(), List.of());
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of());
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "hi");
        tenant.api(supervisor.token()).body(Map.of("assigneeId", assignee.id())).put("/api/v1/conversations/{id}/assignment", id)
                .then().statusCode(200);
        try (WsClient socket = Gateway.connect(assignee.token())) {
            assertThat(socket.subscribe("c", "conversation:" + id, null, null).path("type").asText()).isEqualTo("subscribed");
            tenant.api(supervisor.token()).body(Map.of("assigneeId", supervisor.id())).put("/api/v1/conversations/{id}/assignment", id)
                    .then().statusCode(200);
            JsonNode ended = socket.await("unsubscribed", WAIT);
            assertThat(ended.path("reason").asText()).isEqualTo("access_revoked");
            String later = tenant.sendMessage(supervisor.token(), id, Map.of("content", "not for you")).extract().path("id");
            try (WsClient watcher = Gateway.connect(supervisor.token())) {
                watcher.subscribe("c", "conversation:" + id, null, null);
                tenant.sendMessage(supervisor.token(), id, Map.of("content", "marker")).statusCode(201);
                watcher.await(f -> "marker".equals(f.path("data").path("content").asText()), WAIT);
            }
            assertThat(socket.frames("event")).noneMatch(f -> f.path("id").asText().equals(later));
            assertThat(socket.isClosed()).isFalse();
            assertThat(Duration.ZERO).isNotNull();
        }
    }
}
