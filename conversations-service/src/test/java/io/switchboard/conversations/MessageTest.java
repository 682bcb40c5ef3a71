package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MessageTest {

    @Test
    void everyMessageTypeWithAttachmentsAndTheirEffectOnTheConversation() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Here is my receipt");
        for (String type : List.of("image", "file", "audio", "video")) {
            tenant.sendMessage(customer, id, Map.of("type", type,
                            "attachments", List.of(Map.of("url", "https://cdn.example.com/f." + type, "mimeType", "application/octet-stream", "sizeBytes", 1234))))
                    .statusCode(201).body("type", equalTo(type)).body("status", equalTo("sent"))
                    .body("attachments[0].url", equalTo("https://cdn.example.com/f." + type));
        }
        tenant.conversation(agent.token(), id).body("agentUnreadCount", equalTo(5)).body("lastMessagePreview", equalTo("[video]"))
                .body("firstReplyAt", equalTo(null));
        tenant.sendMessage(agent.token(), id, Map.of("content", "Thanks, looking into it")).statusCode(201)
                .body("senderKind", equalTo("agent")).body("senderId", equalTo(agent.id().toString()));
        tenant.conversation(agent.token(), id).body("firstReplyAt", notNullValue()).body("waitingSince", equalTo(null))
                .body("customerUnreadCount", equalTo(1));
    }

    @Test
    void invalidMessagesAreRejectedFieldByField() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        tenant.sendMessage(customer, id, Map.of("content", "  ")).statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("content"));
        tenant.sendMessage(customer, id, Map.of("type", "image")).statusCode(400).body("violations[0].field", equalTo("attachments"));
        tenant.sendMessage(customer, id, Map.of("type", "image", "attachments", List.of(Map.of("url", "ftp://x"))))
                .statusCode(400).body("violations[0].field", equalTo("attachments[0].url"));
        tenant.sendMessage(customer, id, Map.of("content", "x".repeat(10_001))).statusCode(400)
                .body("violations[0].message", equalTo("must be at most 10000 characters"));
        tenant.sendMessage(customer, id, Map.of("content", "secret", "privateNote", true)).statusCode(400)
                .body("violations[0].field", equalTo("privateNote"));
        tenant.sendMessage(customer, id, Map.of("content", "x", "clientMessageId", "has spaces")).statusCode(400)
                .body("violations[0].field", equalTo("clientMessageId"));
        tenant.sendMessage(customer, id, Map.of("content", "x", "type", "hologram")).statusCode(400)
                .body("violations[0].field", equalTo("type"));
    }

    @Test
    void theSameClientMessageIdTwiceIsOneMessageAndOneEvent() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        Map<String, Object> body = Map.of("content", "Is anyone there?", "clientMessageId", "msg-42");
        String first = tenant.sendMessage(customer, id, body).statusCode(201).extract().path("id");
        tenant.sendMessage(customer, id, body).statusCode(200).body("id", equalTo(first));
        as(customer).get("/api/v1/conversations/{id}/messages", id).then().body("items.size()", equalTo(2));
        assertThat(countEvents(UUID.fromString(first), "message.created")).isEqualTo(1);
        // another sender reusing the id is refused, never shown the other's message
        Tenant.Member agent = tenant.inboxAgent();
        tenant.sendMessage(agent.token(), id, body).statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/client-message-id-taken"));
    }

    @Test
    void concurrentRetriesOfOneMessageWriteItOnce() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        Map<String, Object> body = Map.of("content", "retry storm", "clientMessageId", "storm-1");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(pool.submit(() -> tenant.sendMessage(customer, id, body).extract().statusCode()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (var call : calls) {
                statuses.add(call.get());
            }
            assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        } finally {
            pool.shutdown();
        }
        as(customer).get("/api/v1/conversations/{id}/messages", id).then().body("items.content", containsInAnyOrder("Hi", "retry storm"));
    }

    @Test
    void privateNotesNeverReachTheCustomer() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String note = tenant.sendMessage(agent.token(), id, Map.of("content", "VIP, be nice", "privateNote", true))
                .statusCode(201).body("privateNote", equalTo(true)).extract().path("id");
        as(agent.token()).get("/api/v1/conversations/{id}/messages", id).then().body("items.id", hasItem(note));
        as(customer).get("/api/v1/conversations/{id}/messages", id).then().statusCode(200)
                .body("items.id", not(hasItem(note))).body("items.size()", equalTo(1));
        // notes do not touch what the customer sees of the conversation
        tenant.conversation(customer, id).body("lastMessagePreview", equalTo("Hi")).body("customerUnreadCount", equalTo(0));
        as(customer).body(Map.of("status", "read")).put("/api/v1/conversations/{c}/messages/{m}/status", id, note).then().statusCode(404);
    }

    @Test
    void messagesPageNewestFirst() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "m0");
        for (int i = 1; i < 6; i++) {
            tenant.sendMessage(customer, id, Map.of("content", "m" + i)).statusCode(201);
        }
        var first = as(customer).queryParam("limit", 4).get("/api/v1/conversations/{id}/messages", id)
                .then().statusCode(200).header("X-Event-Cursor", notNullValue())
                .body("items.content", equalTo(List.of("m5", "m4", "m3", "m2"))).extract().jsonPath();
        as(customer).queryParam("limit", 4).queryParam("cursor", first.getString("nextCursor"))
                .get("/api/v1/conversations/{id}/messages", id)
                .then().body("items.content", equalTo(List.of("m1", "m0"))).body("nextCursor", equalTo(null));
    }

    @Test
    void deliveryStatusMovesForwardAndOnlyTheRecipientReportsIt() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String reply = tenant.sendMessage(agent.token(), id, Map.of("content", "Hello!")).extract().path("id");
        String path = "/api/v1/conversations/{c}/messages/{m}/status";
        as(agent.token()).body(Map.of("status", "read")).put(path, id, reply).then().statusCode(403);
        as(customer).body(Map.of("status", "delivered")).put(path, id, reply).then().statusCode(200)
                .body("status", equalTo("delivered")).body("version", equalTo(2));
        as(customer).body(Map.of("status", "delivered")).put(path, id, reply).then().statusCode(200).body("version", equalTo(2));
        as(customer).body(Map.of("status", "read")).put(path, id, reply).then().statusCode(200).body("status", equalTo("read"));
        as(customer).body(Map.of("status", "delivered")).put(path, id, reply).then().statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-status-transition"));
        tenant.conversation(customer, id).body("customerUnreadCount", equalTo(0));
        String another = tenant.sendMessage(agent.token(), id, Map.of("content", "Still there?")).extract().path("id");
        as(customer).body(Map.of("status", "failed")).put(path, id, another).then().statusCode(403);
        as(agent.token()).body(Map.of("status", "failed")).put(path, id, another).then().statusCode(200).body("status", equalTo("failed"));
        as(customer).body(Map.of("status", "read")).put(path, id, UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void markingReadResetsTheCountAndMarksEveryIncomingMessage() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "one");
        tenant.sendMessage(customer, id, Map.of("content", "two")).statusCode(201);
        as(agent.token()).post("/api/v1/conversations/{id}/read", id).then().statusCode(200).body("agentUnreadCount", equalTo(0));
        as(agent.token()).get("/api/v1/conversations/{id}/messages", id).then().body("items.status", equalTo(List.of("read", "read")));
    }

    @Test
    void aSendTheDatabaseCannotTakeIsAnswered503ToSendAgainAndWritesNothing() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String marker = "connection-drop-" + UUID.randomUUID();
        // the server ends the session as it would in a restart (SQLSTATE 57P01), for this message only
        try (Connection connection = TestDatabase.shared().connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION conversations.test_drop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.content = '" + marker + "' THEN RAISE EXCEPTION 'terminating connection' USING ERRCODE = '57P01'; END IF; "
                    + "RETURN NEW; END $$");
            statement.execute("CREATE TRIGGER test_drop BEFORE INSERT ON conversations.messages FOR EACH ROW EXECUTE FUNCTION conversations.test_drop()");
        }
        try {
            tenant.sendMessage(customer, id, Map.of("content", marker, "clientMessageId", "retry-me")).statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://switchboard.dev/problems/service-unavailable"));
        } finally {
            try (Connection connection = TestDatabase.shared().connect(); var statement = connection.createStatement()) {
                statement.execute("DROP TRIGGER test_drop ON conversations.messages");
                statement.execute("DROP FUNCTION conversations.test_drop()");
            }
        }
        assertThat(countEvents(id, "conversation.updated")).isZero();
        // the retry the answer asks for writes it once
        tenant.sendMessage(customer, id, Map.of("content", marker, "clientMessageId", "retry-me")).statusCode(201);
        tenant.sendMessage(customer, id, Map.of("content", marker, "clientMessageId", "retry-me")).statusCode(200);
    }

    @Test
    void aSendToAConversationHeldPastTheBusyTimeoutIsAnswered503AndOthersDoNotWait() throws Exception {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID held = tenant.startConversation(customer, "Hi");
        String other = tenant.customerToken("c-" + UUID.randomUUID());
        UUID free = tenant.startConversation(other, "Hello");
        try (Connection holder = TestDatabase.shared().connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM conversations.conversations WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, held);
                lock.executeQuery().close();
            }
            var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    tenant.sendMessage(customer, held, Map.of("content", "anyone?", "clientMessageId", "held-1")).extract());
            tenant.sendMessage(other, free, Map.of("content", "not held")).statusCode(201);
            assertThat(waiting).isNotDone();
            // the test profile's busy-timeout is 3 s
            var refused = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.<String>path("type")).isEqualTo("https://switchboard.dev/problems/service-unavailable");
            holder.rollback();
        }
        assertThat(countEvents(held, "conversation.updated")).isZero();
        tenant.sendMessage(customer, held, Map.of("content", "anyone?", "clientMessageId", "held-1")).statusCode(201);
    }

    static long countEvents(UUID aggregateId, String type) throws Exception {
        try (Connection connection = TestDatabase.shared().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM event_log.events WHERE aggregate_id = ? AND event_type = ?")) {
            query.setObject(1, aggregateId);
            query.setString(2, type);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
