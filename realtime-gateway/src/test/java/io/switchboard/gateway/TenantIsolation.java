package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scenario behind the tenant isolation tests: while one account's clients are away, another account
 * works on every topic (a conversation, messages, a private note, an assignment, agent status and
 * memberships); then the first account's admin and an agent without memberships resume from their cursor —
 * over WebSocket and over SSE — and must receive their own account's events and nothing of the other's.
 * Whether the replay comes from memory or from the database depends on the test profile's window.
 */
final class TenantIsolation {

    final Tenant mine = Gateway.tenant();
    final Tenant theirs = Gateway.tenant();
    final Tenant.Member lone = mine.agent("agent", List.of(), List.of());
    /** Every id the other account's work produced: none may appear in a frame sent to this account. */
    final List<String> foreignIds = new ArrayList<>();
    final String cursor;
    final UUID marker;
    final String markerMessage;

    TenantIsolation() {
        cursor = mine.api(mine.adminToken()).get("/api/v1/conversations").then().statusCode(200).extract().header("X-Event-Cursor");
        foreignIds.add(theirs.accountId().toString());
        foreignIds.add(theirs.adminId().toString());
        String customer = theirs.customerToken("c-" + UUID.randomUUID());
        UUID conversation = theirs.startConversation(customer, "their secret");
        foreignIds.add(conversation.toString());
        foreignIds.add(theirs.conversation(theirs.adminToken(), conversation).extract().path("contactId"));
        foreignIds.add(theirs.sendMessage(customer, conversation, Map.of("content", "their message")).statusCode(201).extract().path("id"));
        foreignIds.add(theirs.sendMessage(theirs.adminToken(), conversation, Map.of("content", "their note", "privateNote", true))
                .statusCode(201).extract().path("id"));
        Tenant.Member theirAgent = theirs.agent("agent", List.of(), List.of());
        foreignIds.add(theirAgent.id().toString());
        theirs.api(theirs.adminToken()).body(Map.of("assigneeId", theirAgent.id())).put("/api/v1/conversations/{id}/assignment", conversation)
                .then().statusCode(200);
        theirs.api(theirs.adminToken()).body(Map.of("inboxIds", List.of(theirs.inboxId()), "teamIds", List.of()))
                .put("/api/v1/agents/{id}/memberships", theirAgent.id()).then().statusCode(200);
        theirs.api(theirs.adminToken()).body(Map.of("status", "away")).put("/api/v1/agents/{id}/status", theirAgent.id()).then().statusCode(200);
        // this account's own work comes last: receiving it proves the replay ran past the other account's events
        String customerOfMine = mine.customerToken("m-" + UUID.randomUUID());
        marker = mine.startConversation(customerOfMine, "mine");
        markerMessage = mine.sendMessage(customerOfMine, marker, Map.of("content", "marker")).statusCode(201).extract().path("id");
        mine.api(mine.adminToken()).body(Map.of("status", "busy")).put("/api/v1/agents/{id}/status", lone.id()).then().statusCode(200);
    }

    /** The admin resumes every topic over a WebSocket; the agent without memberships its directory. */
    void resumeOverWebSockets() {
        try (WsClient admin = Gateway.connect(mine.adminToken()); WsClient agent = Gateway.connect(lone.token())) {
            admin.subscribe("all", "conversations", null, cursor);
            admin.subscribe("queue", "queue", null, cursor);
            admin.subscribe("agents", "agents", null, cursor);
            admin.subscribe("c", "conversation:" + marker, null, cursor);
            agent.subscribe("agents", "agents", null, cursor);
            admin.awaitEvent("message.created", markerMessage, WAIT);
            admin.await(f -> "event".equals(f.path("type").asText()) && f.path("subs").has("all")
                    && marker.toString().equals(f.path("id").asText()), WAIT);
            admin.await(f -> "event".equals(f.path("type").asText()) && f.path("subs").has("agents")
                    && lone.id().toString().equals(f.path("id").asText()), WAIT);
            agent.await(f -> "event".equals(f.path("type").asText()) && lone.id().toString().equals(f.path("id").asText()), WAIT);
            assertNothingForeign(admin.frames());
            assertNothingForeign(agent.frames());
        }
    }

    /** The admin's SSE stream resumes with Last-Event-ID. */
    void resumeOverSse() throws Exception {
        String query = "access_token=" + mine.adminToken() + "&subscribe="
                + URLEncoder.encode("conversations,queue,agents,conversation:" + marker, StandardCharsets.UTF_8);
        try (SseClient stream = SseClient.open("http://localhost:" + RestAssured.port + "/sse?" + query, cursor)) {
            stream.await(e -> "event".equals(e.name()) && markerMessage.equals(e.data().path("id").asText()), WAIT);
            stream.await(e -> "event".equals(e.name()) && lone.id().toString().equals(e.data().path("id").asText()), WAIT);
            assertNothingForeign(stream.events().stream().map(SseClient.Event::data).toList());
        }
    }

    /** Live: the other account works while this one is subscribed. */
    void liveDelivery() {
        try (WsClient admin = Gateway.connect(mine.adminToken())) {
            admin.subscribe("all", "conversations", null, null);
            admin.subscribe("queue", "queue", null, null);
            admin.subscribe("agents", "agents", null, null);
            UUID theirsNow = theirs.startConversation(theirs.customerToken("l-" + UUID.randomUUID()), "their live chat");
            foreignIds.add(theirsNow.toString());
            UUID mineNow = mine.startConversation(mine.customerToken("n-" + UUID.randomUUID()), "my live chat");
            admin.awaitEvent("conversation.created", mineNow, WAIT);
            assertNothingForeign(admin.frames());
        }
    }

    private void assertNothingForeign(List<JsonNode> frames) {
        assertThat(frames).as("frames received").isNotEmpty();
        for (JsonNode frame : frames) {
            String text = frame.toString();
            assertThat(foreignIds).as("another account's ids in %s", text).noneMatch(text::contains);
        }
    }
}
