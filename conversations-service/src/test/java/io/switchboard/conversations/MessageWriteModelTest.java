package io.switchboard.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestDatabase;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message sends against a model, over generated workloads: waves of concurrent sends (so the group-commit
 * writer puts many in one transaction) from every kind of caller — customers of their own and of others'
 * conversations, agents by inbox, team and assignment, agents without access, supervisors, other accounts —
 * with reused client message ids, invalid bodies, private notes, concurrent priority changes on the same
 * conversations through the ORM path, "poison" sends a database trigger fails (so whole batches fail and
 * are written again send by send), and in one wave a conversation whose row another transaction holds. Oracles: each answer is what the caller may get (status by visibility and
 * validity, one 201 per client id, retries answered with the same message, another sender's reuse 409); every
 * 201 and nothing else is stored; sends to other conversations never wait for the held one, once, with one message.created event; each conversation's events carry the
 * versions 1..n in log order, the last one describing the row as stored; unread counts, preview and waiting
 * time equal a fold of the message events in log order; the log never holds a failed message's content. Seeded: {@code -Dmessagewrites.seed=N} repeats a
 * run, {@code -Dmessagewrites.tries=N} runs more.
 */
@QuarkusTest
class MessageWriteModelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POISON = "poison-pill";

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the service logs while the test runs: messages, parameters and every exception's message. */
    private static final List<String> LOGGED = java.util.Collections.synchronizedList(new ArrayList<>());

    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                text.append(' ').append(java.util.Arrays.toString(record.getParameters()));
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
                if (t instanceof java.sql.SQLException sql && sql.getNextException() != null) {
                    text.append(' ').append(sql.getNextException().getMessage());
                }
            }
            LOGGED.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void installPoison() throws Exception {
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
        try (Connection connection = TestDatabase.shared().connect(); Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE OR REPLACE FUNCTION conversations.test_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.content LIKE '%""" + POISON + """
                    %' THEN RAISE EXCEPTION 'poisoned message'; END IF;
                        RETURN NEW;
                    END $$""");
            statement.execute("DROP TRIGGER IF EXISTS test_poison ON conversations.messages");
            statement.execute("CREATE TRIGGER test_poison BEFORE INSERT ON conversations.messages FOR EACH ROW "
                    + "EXECUTE FUNCTION conversations.test_poison()");
        }
    }

    @AfterAll
    static void removePoison() throws Exception {
        java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        try (Connection connection = TestDatabase.shared().connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS test_poison ON conversations.messages");
            statement.execute("DROP FUNCTION IF EXISTS conversations.test_poison()");
        }
    }

    /** Who sends, and what the model says they may see. */
    record Sender(String name, String token, String kind, UUID id, Set<UUID> sees) {
    }

    /** One generated send and its answer. */
    record Send(Sender sender, UUID conversation, Map<String, Object> body, boolean valid, boolean poison, boolean heldElsewhere,
            CompletableFuture<HttpResponse<String>> response) {

        String clientMessageId() {
            return (String) body.get("clientMessageId");
        }

        boolean visible() {
            return sender.sees().contains(conversation);
        }
    }

    @Test
    void concurrentSendsMatchTheModel() throws Exception {
        long firstSeed = Long.getLong("messagewrites.seed", System.nanoTime());
        int tries = Integer.getInteger("messagewrites.tries", 2);
        for (int t = 0; t < tries; t++) {
            long seed = firstSeed + t;
            System.out.println("MessageWriteModelTest seed " + seed + " (-Dmessagewrites.seed=" + seed + " repeats it)");
            try {
                run(new Random(seed));
            } catch (AssertionError | Exception e) {
                throw new AssertionError("failed with seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private void run(Random random) throws Exception {
        Tenant tenant = Tenant.create();
        Tenant other = Tenant.create();
        String admin = tenant.adminToken();
        UUID secondInbox = UUID.fromString(tenant.api(admin).body(Map.of("name", "Email", "channel", "email"))
                .post("/api/v1/inboxes").then().statusCode(201).extract().path("id"));

        // six conversations: three per inbox; one of the second inbox goes to the team, one to an assignee
        List<UUID> conversations = new ArrayList<>();
        Map<UUID, String> customerOf = new HashMap<>();
        Map<UUID, UUID> contactOf = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            String customer = tenant.customerToken("model-" + UUID.randomUUID());
            UUID inbox = i < 3 ? tenant.inboxId() : secondInbox;
            var started = tenant.api(customer).body(Map.of("inboxId", inbox.toString(), "message", Map.of("content", "opening " + i)))
                    .post("/api/v1/conversations").then().statusCode(201).extract().jsonPath();
            UUID id = UUID.fromString(started.getString("id"));
            conversations.add(id);
            customerOf.put(id, customer);
            contactOf.put(id, UUID.fromString(started.getString("contactId")));
        }
        Tenant.Member inboxAgent = tenant.inboxAgent();
        Tenant.Member teamAgent = tenant.agent("agent", List.of(), List.of(tenant.teamId()));
        Tenant.Member assignee = tenant.agent("agent", List.of(), List.of());
        Tenant.Member outsider = tenant.agent("agent", List.of(), List.of());
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of());
        tenant.api(admin).body(Map.of("teamId", tenant.teamId().toString())).put("/api/v1/conversations/{id}/assignment", conversations.get(3))
                .then().statusCode(200);
        tenant.api(admin).body(Map.of("assigneeId", assignee.id().toString())).put("/api/v1/conversations/{id}/assignment", conversations.get(4))
                .then().statusCode(200);
        Tenant.Member foreignAdmin = new Tenant.Member(other.adminId(), other.adminToken());

        Set<UUID> all = new HashSet<>(conversations);
        List<Sender> senders = new ArrayList<>();
        for (UUID c : conversations) {
            senders.add(new Sender("customer of " + c, customerOf.get(c), "customer", contactOf.get(c), Set.of(c)));
        }
        senders.add(new Sender("admin", admin, "agent", tenant.adminId(), all));
        senders.add(new Sender("supervisor", supervisor.token(), "agent", supervisor.id(), all));
        senders.add(new Sender("inbox agent", inboxAgent.token(), "agent", inboxAgent.id(), Set.copyOf(conversations.subList(0, 3))));
        senders.add(new Sender("team agent", teamAgent.token(), "agent", teamAgent.id(), Set.of(conversations.get(3))));
        senders.add(new Sender("assignee", assignee.token(), "agent", assignee.id(), Set.of(conversations.get(4))));
        senders.add(new Sender("agent without access", outsider.token(), "agent", outsider.id(), Set.of()));
        senders.add(new Sender("other account's admin", foreignAdmin.token(), "agent", foreignAdmin.id(), Set.of()));
        senders.add(new Sender("other account's customer", other.customerToken("model-" + UUID.randomUUID()), "customer", null, Set.of()));

        List<Send> sends = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> priorityChanges = new ArrayList<>();
        int waves = 6;
        for (int wave = 0; wave < waves; wave++) {
            // in one wave another transaction holds a conversation's row for as long as the other sends take
            UUID held = wave == 2 ? conversations.get(random.nextInt(conversations.size())) : null;
            List<Send> thisWave = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Send generated = generate(random, senders, conversations, sends.size() + i);
                if (generated.conversation().equals(held)) {
                    generated.body().remove("clientMessageId"); // may be refused 503 if held past busy-timeout
                    generated = new Send(generated.sender(), held, generated.body(), generated.valid(), generated.poison(), true, null);
                }
                thisWave.add(generated);
            }
            Connection holder = held == null ? null : holdRow(held);
            for (int i = 0; i < 4; i++) { // the ORM path changing the same rows meanwhile
                String priority = List.of("low", "medium", "high", "urgent").get(random.nextInt(4));
                priorityChanges.add(send("PATCH", "/api/v1/conversations/" + conversations.get(random.nextInt(6)), admin,
                        Map.of("priority", priority)));
            }
            List<Send> sent = new ArrayList<>();
            for (Send send : thisWave) {
                sent.add(new Send(send.sender(), send.conversation(), send.body(), send.valid(), send.poison(), send.heldElsewhere(),
                        send("POST", "/api/v1/conversations/" + send.conversation() + "/messages", send.sender().token(), send.body())));
            }
            sends.addAll(sent);
            if (holder != null) {
                // every send to another conversation is answered while the held one stays held: nobody waits for it
                CompletableFuture<?> others = CompletableFuture.allOf(sent.stream().filter(s -> !s.heldElsewhere())
                        .map(Send::response).toArray(CompletableFuture[]::new));
                try {
                    others.get(20, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("sends to other conversations waited for the held conversation " + held);
                } finally {
                    holder.rollback();
                    holder.close();
                }
            }
            CompletableFuture.allOf(sends.stream().map(Send::response).toArray(CompletableFuture[]::new)).join();
        }
        for (var change : priorityChanges) {
            assertThat(change.join().statusCode()).as("priority change: %s", change.join().body()).isEqualTo(200);
        }

        Map<UUID, Send> createdBy = checkAnswers(sends);
        checkStore(tenant.accountId(), conversations, createdBy);
        checkNothingReachedTheOtherAccount(other.accountId());
        // failed writes are logged, but never with what the customer wrote
        assertThat(LOGGED).as("log lines").noneMatch(line -> line.contains(POISON));
    }

    /** A transaction of its own holding the conversation's row (as a change in progress or a hand-held lock would). */
    private static Connection holdRow(UUID conversation) throws Exception {
        Connection connection = TestDatabase.shared().connect();
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM conversations.conversations WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, conversation);
            lock.executeQuery().close();
        }
        return connection;
    }

    private static Send generate(Random random, List<Sender> senders, List<UUID> conversations, int n) {
        Sender sender = senders.get(random.nextInt(senders.size()));
        // mostly a conversation the sender may see, sometimes any
        List<UUID> visible = new ArrayList<>(sender.sees());
        visible.sort(null);
        UUID conversation = !visible.isEmpty() && random.nextInt(4) > 0 ? visible.get(random.nextInt(visible.size()))
                : conversations.get(random.nextInt(conversations.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        boolean valid = true;
        boolean poison = false;
        int shape = random.nextInt(20);
        if (shape == 0) {
            body.put("content", "   ");
            valid = false;
        } else if (shape == 1) {
            poison = true;
            body.put("content", "message " + n + " " + POISON);
        } else {
            body.put("content", "message " + n);
        }
        if (!poison && random.nextInt(3) == 0) {
            body.put("clientMessageId", "cm-" + random.nextInt(12)); // few ids: retries and reuse by others
        }
        if (sender.kind().equals("agent") && random.nextInt(6) == 0) {
            body.put("privateNote", true);
        }
        return new Send(sender, conversation, body, valid, poison, false, null);
    }

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String token, Map<String, Object> body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.toURI().resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks each answer; returns the sends that wrote a message, by message id. */
    private static Map<UUID, Send> checkAnswers(List<Send> sends) throws Exception {
        Map<UUID, Send> createdBy = new HashMap<>();
        Map<List<Object>, List<Send>> byClientId = new LinkedHashMap<>();
        for (Send send : sends) {
            HttpResponse<String> response = send.response().join();
            String what = send.sender().name() + " → " + send.conversation() + " " + send.body() + ": " + response.statusCode()
                    + " " + response.body();
            int expected = !send.valid() ? 400 : !send.visible() ? 404 : send.poison() ? 500 : -1;
            if (send.valid() && send.visible() && send.heldElsewhere() && response.statusCode() == 503) {
                expected = 503; // held past busy-timeout: refused, nothing written
            }
            if (expected != -1) {
                assertThat(response.statusCode()).as(what).isEqualTo(expected);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what).startsWith("application/problem+json");
                continue;
            }
            if (send.clientMessageId() == null) {
                assertThat(response.statusCode()).as(what).isEqualTo(201);
            } else {
                assertThat(response.statusCode()).as(what).isIn(200, 201, 409);
                byClientId.computeIfAbsent(List.of(send.conversation(), send.clientMessageId()), k -> new ArrayList<>()).add(send);
            }
            if (response.statusCode() == 201) {
                JsonNode message = JSON.readTree(response.body());
                assertThat(message.path("content").asText()).as(what).isEqualTo(send.body().get("content"));
                assertThat(message.path("privateNote").asBoolean()).as(what).isEqualTo(Boolean.TRUE.equals(send.body().get("privateNote")));
                assertThat(message.path("senderKind").asText()).as(what).isEqualTo(send.sender().kind());
                assertThat(message.path("senderId").asText()).as(what).isEqualTo(String.valueOf(send.sender().id()));
                assertThat(createdBy.put(UUID.fromString(message.path("id").asText()), send)).as(what).isNull();
            }
        }
        for (var group : byClientId.entrySet()) {
            List<Send> created = group.getValue().stream().filter(s -> s.response().join().statusCode() == 201).toList();
            assertThat(created).as("client id %s: exactly one send writes", group.getKey()).hasSize(1);
            Send first = created.getFirst();
            String id = JSON.readTree(first.response().join().body()).path("id").asText();
            for (Send send : group.getValue()) {
                HttpResponse<String> response = send.response().join();
                boolean sameSender = send.sender().token().equals(first.sender().token());
                if (send != first) {
                    assertThat(response.statusCode()).as("retry of %s by %s: %s", group.getKey(), send.sender().name(), response.body())
                            .isEqualTo(sameSender ? 200 : 409);
                }
                if (response.statusCode() == 200) {
                    assertThat(JSON.readTree(response.body()).path("id").asText()).isEqualTo(id);
                }
            }
        }
        return createdBy;
    }

    private static void checkStore(UUID account, List<UUID> conversations, Map<UUID, Send> createdBy) throws Exception {
        try (Connection connection = TestDatabase.shared().connect()) {
            // every 201 stored once, nothing else (the opening messages aside)
            Set<UUID> stored = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT id, conversation_id, content, private_note FROM conversations.messages WHERE account_id = ? AND content NOT LIKE 'opening %'")) {
                query.setObject(1, account);
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        UUID id = row.getObject(1, UUID.class);
                        Send send = createdBy.get(id);
                        assertThat(send).as("stored message %s (%s) was answered 201", id, row.getString(3)).isNotNull();
                        assertThat(row.getObject(2, UUID.class)).isEqualTo(send.conversation());
                        assertThat(row.getString(3)).isEqualTo(send.body().get("content"));
                        stored.add(id);
                    }
                }
            }
            assertThat(stored).as("messages answered 201").containsExactlyInAnyOrderElementsOf(createdBy.keySet());

            for (UUID conversation : conversations) {
                checkConversationLog(connection, conversation, createdBy);
            }
        }
    }

    /** The conversation's events in log order against its row, and the message events against the 201s. */
    private static void checkConversationLog(Connection connection, UUID conversation, Map<UUID, Send> createdBy) throws Exception {
        List<JsonNode> conversationEvents = new ArrayList<>();
        List<String> messageCreated = new ArrayList<>();
        int agentUnread = 0;
        int customerUnread = 0;
        String preview = null;
        boolean waiting = false;
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT aggregate_type, aggregate_id, aggregate_version, event_type, payload::text, scope_private FROM event_log.events
                WHERE (aggregate_type = 'conversation' AND aggregate_id = ?) OR (event_type = 'message.created' AND payload->'message'->>'conversationId' = ?)
                ORDER BY tx_id, seq""")) {
            query.setObject(1, conversation);
            query.setString(2, conversation.toString());
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    JsonNode payload = JSON.readTree(row.getString(5));
                    if (row.getString(1).equals("conversation")) {
                        assertThat(row.getLong(3)).as("conversation %s: versions in log order", conversation)
                                .isEqualTo(conversationEvents.size() + 1);
                        conversationEvents.add(payload.path("conversation"));
                        continue;
                    }
                    JsonNode message = payload.path("message");
                    messageCreated.add(message.path("id").asText());
                    assertThat(row.getBoolean(6)).isEqualTo(message.path("privateNote").asBoolean());
                    if (message.path("privateNote").asBoolean()) {
                        continue;
                    }
                    String content = message.path("content").asText();
                    preview = content.length() <= 140 ? content : content.substring(0, 139) + "…";
                    if (message.path("senderKind").asText().equals("customer")) {
                        agentUnread++;
                        waiting = true;
                    } else {
                        customerUnread++;
                        waiting = false;
                    }
                }
            }
        }
        Set<String> expected = createdBy.entrySet().stream().filter(e -> e.getValue().conversation().equals(conversation))
                .map(e -> e.getKey().toString()).collect(Collectors.toSet());
        assertThat(messageCreated.subList(1, messageCreated.size())).as("message.created events of %s", conversation)
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT version, priority, agent_unread_count, customer_unread_count, last_message_preview, waiting_since IS NOT NULL "
                        + "FROM conversations.conversations WHERE id = ?")) {
            query.setObject(1, conversation);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                JsonNode last = conversationEvents.getLast();
                String where = "conversation " + conversation;
                assertThat(row.getLong(1)).as(where + ": version = its events").isEqualTo(conversationEvents.size());
                assertThat(last.path("version").asLong()).as(where).isEqualTo(row.getLong(1));
                assertThat(last.path("priority").asText()).as(where + ": priority").isEqualTo(row.getString(2));
                assertThat(row.getInt(3)).as(where + ": agent unread = fold").isEqualTo(agentUnread);
                assertThat(row.getInt(4)).as(where + ": customer unread = fold").isEqualTo(customerUnread);
                assertThat(row.getString(5)).as(where + ": preview = fold").isEqualTo(preview);
                assertThat(row.getBoolean(6)).as(where + ": waiting = fold").isEqualTo(waiting);
                assertThat(last.path("agentUnreadCount").asInt()).isEqualTo(agentUnread);
                assertThat(last.path("lastMessagePreview").asText()).isEqualTo(Objects.toString(preview));
            }
        }
    }

    private static void checkNothingReachedTheOtherAccount(UUID otherAccount) throws Exception {
        try (Connection connection = TestDatabase.shared().connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT count(*) FROM event_log.events WHERE account_id = ? AND event_type = 'message.created'")) {
            query.setObject(1, otherAccount);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).as("messages in the other account").isZero();
            }
        }
    }
}
