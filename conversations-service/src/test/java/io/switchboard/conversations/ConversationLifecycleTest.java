package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConversationLifecycleTest {

    @Test
    void aCustomerStartsAChatAndItsContactIsCreatedOnce() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("visitor-" + UUID.randomUUID());
        as(customer).get("/api/v1/contacts/me").then().statusCode(404);
        UUID first = tenant.startConversation(customer, "Hello, my order is late");
        tenant.conversation(customer, first).statusCode(200)
                .header("ETag", "\"1\"")
                .body("status", equalTo("open"))
                .body("priority", equalTo("medium"))
                .body("agentUnreadCount", equalTo(1))
                .body("waitingSince", notNullValue())
                .body("lastMessagePreview", equalTo("Hello, my order is late"));
        String contactId = as(customer).get("/api/v1/contacts/me").then().statusCode(200).extract().path("id");
        UUID second = tenant.startConversation(customer, "Another question");
        tenant.conversation(customer, second).body("contactId", equalTo(contactId));
    }

    @Test
    void retryingAStartWithTheSameClientMessageIdReturnsTheSameConversation() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("visitor-" + UUID.randomUUID());
        Map<String, Object> body = Map.of("inboxId", tenant.inboxId(), "message", Map.of("content", "Hi", "clientMessageId", "start-1"));
        String id = as(customer).body(body).post("/api/v1/conversations").then().statusCode(201).extract().path("id");
        as(customer).body(body).post("/api/v1/conversations").then().statusCode(200).body("id", equalTo(id));
        as(customer).get("/api/v1/conversations").then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void statusLifecycleWithSnoozeResolveAndReopenByACustomerMessage() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Help");

        as(agent.token()).body(Map.of("status", "pending")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(200).body("status", equalTo("pending")).body("version", equalTo(2)).header("ETag", "\"2\"");
        as(agent.token()).body(Map.of("status", "snoozed")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(400).body("violations[0].field", equalTo("snoozedUntil"));
        as(agent.token()).body(Map.of("status", "snoozed", "snoozedUntil", Instant.now().minusSeconds(5).toString()))
                .patch("/api/v1/conversations/{id}", id).then().statusCode(400).body("violations[0].message", equalTo("must be in the future"));
        as(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(200).body("status", equalTo("resolved")).body("resolvedAt", notNullValue());
        // the same status again changes nothing: no new version
        as(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(200).body("version", equalTo(3));

        tenant.sendMessage(customer, id, Map.of("content", "Actually, one more thing")).statusCode(201);
        tenant.conversation(agent.token(), id).body("status", equalTo("open")).body("resolvedAt", nullValue())
                .body("version", equalTo(4)).body("agentUnreadCount", equalTo(2));
    }

    @Test
    void aSnoozedConversationReopensByItselfWhenItsTimeComes() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Call me back");
        as(agent.token()).body(Map.of("status", "snoozed", "snoozedUntil", Instant.now().plusSeconds(2).toString()))
                .patch("/api/v1/conversations/{id}", id).then().statusCode(200)
                .body("status", equalTo("snoozed")).body("snoozedUntil", notNullValue());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                tenant.conversation(agent.token(), id).body("status", equalTo("open")).body("snoozedUntil", nullValue()));
    }

    @Test
    void priorityArchiveAndListFilters() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID urgent = tenant.startConversation(customer, "Urgent!");
        UUID normal = tenant.startConversation(customer, "Whenever");
        as(agent.token()).body(Map.of("priority", "urgent")).patch("/api/v1/conversations/{id}", urgent)
                .then().statusCode(200).body("priority", equalTo("urgent"));
        as(agent.token()).queryParam("priority", "urgent").get("/api/v1/conversations")
                .then().statusCode(200).body("items.id", equalTo(java.util.List.of(urgent.toString())));

        as(agent.token()).post("/api/v1/conversations/{id}/archive", normal).then().statusCode(200).body("archived", equalTo(true));
        as(agent.token()).get("/api/v1/conversations").then().body("items.id", not(hasItem(normal.toString())));
        as(agent.token()).queryParam("archived", "true").get("/api/v1/conversations")
                .then().body("items.id", equalTo(java.util.List.of(normal.toString())));
        as(agent.token()).post("/api/v1/conversations/{id}/unarchive", normal).then().statusCode(200).body("archived", equalTo(false));
        as(agent.token()).queryParam("status", "open,pending").get("/api/v1/conversations")
                .then().body("items.size()", equalTo(2));
        as(agent.token()).queryParam("status", "closed").get("/api/v1/conversations")
                .then().statusCode(400).body("violations[0].field", equalTo("status"));
    }

    @Test
    void assignTransferAndUnassignWithTheAssigneeFilter() {
        Tenant tenant = Tenant.create();
        Tenant.Member alice = tenant.inboxAgent();
        Tenant.Member bob = tenant.inboxAgent();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
        as(alice.token()).body(Map.of("assigneeId", alice.id())).put("/api/v1/conversations/{id}/assignment", id)
                .then().statusCode(200).body("assigneeId", equalTo(alice.id().toString()));
        as(alice.token()).queryParam("assignee", "me").get("/api/v1/conversations").then().body("items.size()", equalTo(1));
        as(bob.token()).queryParam("assignee", "me").get("/api/v1/conversations").then().body("items.size()", equalTo(0));
        as(alice.token()).body(Map.of("assigneeId", bob.id())).put("/api/v1/conversations/{id}/assignment", id)
                .then().statusCode(200).body("assigneeId", equalTo(bob.id().toString()));
        as(bob.token()).body(Map.of("teamId", tenant.teamId())).put("/api/v1/conversations/{id}/assignment", id)
                .then().statusCode(200).body("assigneeId", nullValue()).body("teamId", equalTo(tenant.teamId().toString()));
        as(bob.token()).queryParam("assignee", "unassigned").queryParam("teamId", tenant.teamId().toString())
                .get("/api/v1/conversations").then().body("items.id", equalTo(java.util.List.of(id.toString())));
        as(bob.token()).body(Map.of("assigneeId", UUID.randomUUID())).put("/api/v1/conversations/{id}/assignment", id)
                .then().statusCode(400).body("violations[0].field", equalTo("assigneeId"));
        as(bob.token()).queryParam("assignee", "someone").get("/api/v1/conversations").then().statusCode(400);
    }

    @Test
    void theQueueHoldsOpenUnassignedConversationsLongestWaitingFirst() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        UUID oldest = tenant.startConversation(tenant.customerToken("c1-" + UUID.randomUUID()), "first");
        UUID middle = tenant.startConversation(tenant.customerToken("c2-" + UUID.randomUUID()), "second");
        UUID newest = tenant.startConversation(tenant.customerToken("c3-" + UUID.randomUUID()), "third");
        as(agent.token()).get("/api/v1/queue").then().statusCode(200)
                .header("X-Event-Cursor", notNullValue())
                .body("depth", equalTo(3))
                .body("items.id", equalTo(java.util.List.of(oldest.toString(), middle.toString(), newest.toString())));
        as(agent.token()).body(Map.of("assigneeId", agent.id())).put("/api/v1/conversations/{id}/assignment", middle).then().statusCode(200);
        as(agent.token()).body(Map.of("status", "pending")).patch("/api/v1/conversations/{id}", newest).then().statusCode(200);
        as(agent.token()).get("/api/v1/queue").then().body("depth", equalTo(1)).body("items.id", equalTo(java.util.List.of(oldest.toString())));
    }

    @Test
    void conversationListsPageByCursorWithoutDuplicatesOrGaps() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        java.util.Set<String> created = new java.util.HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(tenant.startConversation(tenant.customerToken("p" + i + "-" + UUID.randomUUID()), "m" + i).toString());
        }
        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var page = as(agent.token()).queryParam("limit", 3).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/conversations").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        org.assertj.core.api.Assertions.assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        as(agent.token()).queryParam("limit", 101).get("/api/v1/conversations").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        as(agent.token()).queryParam("cursor", "garbage!").get("/api/v1/conversations").then().statusCode(400)
                .body("violations[0].field", equalTo("cursor"));
    }
}
