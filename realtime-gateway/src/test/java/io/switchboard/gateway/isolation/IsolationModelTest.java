package io.switchboard.gateway.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.gateway.isolation.ModelClient.Kind;
import io.switchboard.gateway.isolation.ModelClient.Transport;
import io.switchboard.gateway.isolation.World.Account;
import io.switchboard.gateway.isolation.World.Agent;
import io.switchboard.gateway.isolation.World.Conversation;
import io.switchboard.gateway.isolation.World.Customer;
import io.switchboard.gateway.isolation.World.MessageFact;
import io.switchboard.gateway.isolation.World.Party;
import io.switchboard.gateway.isolation.World.Scope;
import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation and lossless resume, checked against a model rather than examples. A seeded random
 * workload runs over three accounts with every role (admin, supervisor, an agent of one inbox, an agent of
 * one team only, an agent with no memberships) and several customers, on WebSocket and SSE clients that
 * disconnect, resume from any cursor the protocol lets them keep (event, subscribed, pong), resubscribe,
 * and lose their connection right after a pong — while conversations are started, written, assigned,
 * transferred, resolved, archived and rated, memberships change and agents type. The replay window is tiny
 * and database batches small, so resumes come from memory and from the database.
 *
 * <p>Oracle: every frame any client receives must be allowed by the README's rules applied to the model
 * ({@link Oracle}); at the end, every client's state must equal a fresh REST snapshot of what it may see
 * (no leaks, no misses, no stale rows, no topic left open without access). The seed is printed; rerun with
 * {@code -Disolation.seed=<seed>}; {@code -Disolation.tries=N} runs N workloads, {@code -Disolation.actions=N}
 * sets their length.
 */
@QuarkusTest
@TestProfile(IsolationModelTest.SmallWindow.class)
class IsolationModelTest {

    /** A replay window of a few dozen events and small database batches: long resumes read the database. */
    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.log.window-size", "40", "gateway.log.batch-size", "3");
        }
    }

    private enum Action {
        START_CHAT(8), CUSTOMER_WRITES(10), AGENT_WRITES(8), PRIVATE_NOTE(3), ASSIGN(7), STATUS(4), PRIORITY(2), ARCHIVE(2), RATE(2),
        AGENT_STATUS(2), MEMBERSHIPS(4), TYPING(4), DISCONNECT(5), RESUME(4), RESUME_PING_DROP(3), PING_AND_DROP(2), PING(2), RESUBSCRIBE(1),
        FOLLOW(3);

        final int weight;

        Action(int weight) {
            this.weight = weight;
        }
    }

    private World world;
    private Oracle oracle;
    private Random random;
    private final List<ModelClient> clients = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();

    @Test
    void everyFrameIsAllowedAndEveryClientConvergesToWhatRestShows() {
        long firstSeed = Long.getLong("isolation.seed", System.nanoTime());
        int tries = Integer.getInteger("isolation.tries", 2);
        int actions = Integer.getInteger("isolation.actions", 400);
        for (int attempt = 0; attempt < tries; attempt++) {
            run(firstSeed + attempt, actions);
        }
    }

    private void run(long seed, int actions) {
        System.out.printf("isolation model: seed %d, %d actions (reproduce: -Disolation.seed=%d)%n", seed, actions, seed);
        long started = System.nanoTime();
        world = new World();
        oracle = new Oracle(world);
        random = new Random(seed);
        clients.clear();
        violations.clear();
        double windowBefore = replayed("window");
        double databaseBefore = replayed("database");
        try {
            for (int i = 0; i < 3; i++) {
                setUpAccount(i);
            }
            for (ModelClient client : clients) {
                client.start();
            }
            for (int step = 1; step <= actions; step++) {
                Action action = pick();
                world.tick();
                perform(action);
                clients.forEach(ModelClient::pump);
                if (!violations.isEmpty()) {
                    failWith(seed, "after action " + step + " (" + action + "), " + elapsed(started), violations);
                }
            }
            converge(seed, started);
            double fromWindow = replayed("window") - windowBefore;
            double fromDatabase = replayed("database") - databaseBefore;
            System.out.printf("isolation model: seed %d passed in %s: %d frames checked, %d resets, %d revocations, "
                            + "%.0f events replayed from the window and %.0f from the database%n", seed, elapsed(started),
                    clients.stream().mapToInt(c -> c.framesChecked).sum(), clients.stream().mapToInt(c -> c.resets).sum(),
                    clients.stream().mapToInt(c -> c.revoked).sum(), fromWindow, fromDatabase);
            assertThat(fromWindow).as("resumes served from the in-memory window").isPositive();
            assertThat(fromDatabase).as("resumes served from the database").isPositive();
        } finally {
            clients.forEach(ModelClient::close);
        }
    }

    private static double replayed(String source) {
        return RestAssured.get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("switchboard_gateway_replayed_events_total{") && l.contains("source=\"" + source + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String elapsed(long started) {
        return String.format("%.1f s", (System.nanoTime() - started) / 1e9);
    }

    private static void failWith(long seed, String when, List<String> problems) {
        fail("seed " + seed + " (rerun with -Disolation.seed=" + seed + "): " + problems.size() + " violation(s) " + when + ":\n  "
                + String.join("\n  ", problems.subList(0, Math.min(12, problems.size()))));
    }

    /** Every client back online; then each must show exactly what REST shows it. */
    private void converge(long seed, long started) {
        clients.forEach(ModelClient::resume);
        List<String> differences = List.of();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            sleep(300);
            clients.forEach(ModelClient::pump);
            if (!violations.isEmpty()) {
                failWith(seed, "while converging, " + elapsed(started), violations);
            }
            differences = new ArrayList<>();
            for (ModelClient client : clients) {
                differences.addAll(client.divergence());
            }
            if (differences.isEmpty()) {
                return;
            }
        }
        failWith(seed, "at the end (clients differ from REST), " + elapsed(started), differences);
    }

    // ---- the world ----

    private void setUpAccount(int index) {
        Tenant tenant = Tenant.create(ConversationsServiceResource.baseUrl());
        UUID inboxB = UUID.fromString(tenant.api(tenant.adminToken()).body(Map.of("name", "Email", "channel", "email"))
                .post("/api/v1/inboxes").then().statusCode(201).extract().path("id"));
        UUID teamU = UUID.fromString(tenant.api(tenant.adminToken()).body(Map.of("name", "Sales"))
                .post("/api/v1/teams").then().statusCode(201).extract().path("id"));
        Account account = world.add(new Account(tenant, inboxB, teamU));
        String prefix = "a" + index + ".";
        Agent admin = world.addAgent(account, new Agent(account, tenant.adminId(), "admin", tenant.adminToken(), prefix + "admin", Set.of(), Set.of()));
        Agent supervisor = agent(account, "supervisor", prefix + "supervisor", Set.of(), Set.of());
        Agent inboxAgent = agent(account, "agent", prefix + "inbox-agent", Set.of(tenant.inboxId()), Set.of());
        Agent teamAgent = agent(account, "agent", prefix + "team-agent", Set.of(), Set.of(tenant.teamId()));
        Agent lone = agent(account, "agent", prefix + "lone-agent", Set.of(), Set.of());
        for (int i = 0; i < 3; i++) {
            String subject = "cust-" + UUID.randomUUID().toString().substring(0, 8);
            account.customers.add(new Customer(account, subject, TestTokens.customer(tenant.accountId(), subject, "Customer " + subject)));
        }

        client(prefix + "admin/ws", admin, Transport.WS, c -> {
            c.add("all", Kind.VIEW, "conversations", Map.of(), null);
            c.add("queue", Kind.QUEUE, "queue", Map.of(), null);
            c.add("agents", Kind.AGENTS, "agents", Map.of(), null);
            c.add("metrics", Kind.METRICS, "metrics", Map.of(), null);
        });
        client(prefix + "supervisor/sse", supervisor, Transport.SSE, c -> {
            c.add("conversations", Kind.VIEW, "conversations", Map.of(), null);
            c.add("queue", Kind.QUEUE, "queue", Map.of(), null);
            c.add("agents", Kind.AGENTS, "agents", Map.of(), null);
        });
        client(prefix + "inbox-agent/ws", inboxAgent, Transport.WS, c -> {
            c.add("all", Kind.VIEW, "conversations", Map.of(), null);
            c.add("mine", Kind.VIEW, "conversations", Map.of("assignee", "me"), null);
            c.add("queue", Kind.QUEUE, "queue", Map.of(), null);
            c.add("agents", Kind.AGENTS, "agents", Map.of(), null);
        });
        client(prefix + "team-agent/ws", teamAgent, Transport.WS, c -> {
            c.add("all", Kind.VIEW, "conversations", Map.of(), null);
            c.add("queue", Kind.QUEUE, "queue", Map.of(), null);
        });
        client(prefix + "lone-agent/sse", lone, Transport.SSE, c -> {
            c.add("conversations", Kind.VIEW, "conversations", Map.of(), null);
            c.add("agents", Kind.AGENTS, "agents", Map.of(), null);
        });
        client(prefix + "lone-agent/ws", lone, Transport.WS, c -> c.add("open", Kind.VIEW, "conversations", Map.of("status", "open"), null));
        client(prefix + "customer0/ws", account.customers.get(0), Transport.WS, c -> {
        });
        client(prefix + "customer1/ws", account.customers.get(1), Transport.WS, c -> {
        });
        client(prefix + "customer2/sse", account.customers.get(2), Transport.SSE, c -> {
        });
    }

    private Agent agent(Account account, String role, String label, Set<UUID> inboxes, Set<UUID> teams) {
        Tenant.Member member = account.tenant.agent(role, List.copyOf(inboxes), List.copyOf(teams));
        return world.addAgent(account, new Agent(account, member.id(), role, member.token(), label, inboxes, teams));
    }

    private void client(String name, Party party, Transport transport, java.util.function.Consumer<ModelClient> subscriptions) {
        ModelClient client = new ModelClient(name, party, transport, oracle, violations::add);
        subscriptions.accept(client);
        clients.add(client);
    }

    // ---- the workload ----

    private Action pick() {
        int total = 0;
        for (Action action : Action.values()) {
            total += action.weight;
        }
        int roll = random.nextInt(total);
        for (Action action : Action.values()) {
            roll -= action.weight;
            if (roll < 0) {
                return action;
            }
        }
        throw new IllegalStateException();
    }

    private <T> T any(List<T> items) {
        return items.isEmpty() ? null : items.get(random.nextInt(items.size()));
    }

    private void perform(Action action) {
        Account account = any(world.accounts);
        Conversation conversation = any(account.conversations);
        switch (action) {
            case START_CHAT -> startChat(account);
            case CUSTOMER_WRITES -> {
                if (conversation != null) {
                    write(conversation, conversation.customer, false);
                }
            }
            case AGENT_WRITES, PRIVATE_NOTE -> {
                if (conversation != null) {
                    write(conversation, any(account.agents.stream().filter(a -> World.seesNow(a, conversation)).toList()),
                            action == Action.PRIVATE_NOTE);
                }
            }
            case ASSIGN -> {
                if (conversation != null) {
                    assign(account, conversation);
                }
            }
            case STATUS -> {
                if (conversation != null) {
                    String status = any(List.of("open", "pending", "resolved", "resolved"));
                    update(account, conversation, "PATCH", "", Map.of("status", status));
                    conversation.status = status;
                }
            }
            case PRIORITY -> {
                if (conversation != null) {
                    update(account, conversation, "PATCH", "", Map.of("priority", any(List.of("low", "medium", "high", "urgent"))));
                }
            }
            case ARCHIVE -> {
                if (conversation != null) {
                    update(account, conversation, "POST", conversation.archived ? "/unarchive" : "/archive", null);
                    conversation.archived = !conversation.archived;
                }
            }
            case RATE -> rate(account);
            case AGENT_STATUS -> {
                Agent agent = any(account.agents);
                account.tenant.api(account.tenant.adminToken()).body(Map.of("status", any(List.of("online", "busy", "away", "offline"))))
                        .put("/api/v1/agents/{id}/status", agent.id).then().statusCode(200);
            }
            case MEMBERSHIPS -> memberships(account);
            case TYPING -> typing();
            case DISCONNECT -> {
                ModelClient client = any(clients.stream().filter(ModelClient::connected).toList());
                if (client != null) {
                    client.disconnect();
                }
            }
            case RESUME -> {
                ModelClient client = any(clients.stream().filter(c -> !c.connected()).toList());
                if (client != null) {
                    client.resume();
                }
            }
            case RESUME_PING_DROP -> {
                // resume, ping as soon as a subscription is acknowledged, and lose the connection right after the pong:
                // the replay may still be running
                // the client that has been away longest: its resume reads the database longest
                ModelClient client = clients.stream().filter(c -> !c.connected() && c.transport == Transport.WS)
                        .min(java.util.Comparator.comparingLong(c -> c.offlineSince)).orElse(null);
                if (client != null) {
                    client.resume();
                    client.awaitFirstAcknowledgement();
                    client.pingAndDrop("p" + world.clock);
                }
            }
            case PING_AND_DROP -> {
                ModelClient client = any(clients.stream().filter(c -> c.connected() && c.transport == Transport.WS).toList());
                if (client != null) {
                    client.pingAndDrop("p" + world.clock);
                }
            }
            case PING -> {
                ModelClient client = any(clients.stream().filter(c -> c.connected() && c.transport == Transport.WS).toList());
                if (client != null) {
                    client.ping("p" + world.clock);
                }
            }
            case RESUBSCRIBE -> {
                ModelClient client = any(clients.stream().filter(c -> c.connected() && c.transport == Transport.WS).toList());
                if (client != null) {
                    client.resubscribeFresh();
                }
            }
            case FOLLOW -> {
                ModelClient client = any(clients.stream().filter(c -> c.party instanceof Agent && c.party.account == account
                        && c.transport == Transport.WS).toList());
                Conversation visible = client == null ? null
                        : any(account.conversations.stream().filter(c -> World.seesNow(client.party, c)).toList());
                if (visible != null) {
                    client.follow(visible.id);
                }
            }
        }
    }

    private void startChat(Account account) {
        Customer customer = any(account.customers);
        UUID inbox = random.nextBoolean() ? account.tenant.inboxId() : account.inboxB;
        JsonPath created = account.tenant.api(customer.token)
                .body(Map.of("inboxId", inbox.toString(), "message", Map.of("content", "hello " + world.clock)))
                .post("/api/v1/conversations").then().statusCode(201).extract().jsonPath();
        UUID id = UUID.fromString(created.getString("id"));
        customer.contactId = UUID.fromString(created.getString("contactId"));
        world.own(account, customer.contactId);
        Scope scope = new Scope(inbox, null, null, customer.contactId);
        Conversation conversation = world.addConversation(new Conversation(id, account, customer, world.clock, created.getLong("version"), scope));
        // the first message, to know its id
        for (Map<String, Object> message : account.tenant.api(account.tenant.adminToken()).get("/api/v1/conversations/{id}/messages", id)
                .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("items")) {
            UUID messageId = UUID.fromString((String) message.get("id"));
            world.own(account, messageId);
            world.messages.put(messageId, new MessageFact(id, world.clock, scope, false));
        }
        for (ModelClient client : clients) {
            if (client.party == customer) {
                client.follow(conversation.id);
            }
        }
    }

    private void write(Conversation conversation, Party author, boolean privateNote) {
        if (author == null) {
            return;
        }
        Map<String, Object> body = new HashMap<>(Map.of("content", "m" + world.clock));
        if (privateNote) {
            body.put("privateNote", true);
        }
        Response response = conversation.account.tenant.api(author.token).body(body).post("/api/v1/conversations/{id}/messages", conversation.id);
        if (response.statusCode() != 201) {
            throw new AssertionError(author.label + " could not write in " + conversation.id + ": " + response.statusCode() + " " + response.asString());
        }
        UUID messageId = UUID.fromString(response.jsonPath().getString("id"));
        world.own(conversation.account, messageId);
        world.messages.put(messageId, new MessageFact(conversation.id, world.clock, conversation.scope(), privateNote));
        if (author instanceof Customer && !"open".equals(conversation.status)) {
            conversation.status = "open"; // a customer's message reopens the conversation
        }
    }

    private void assign(Account account, Conversation conversation) {
        Agent assignee = random.nextInt(4) == 0 ? null : any(account.agents);
        UUID team = random.nextInt(3) == 0 ? null : any(List.of(account.tenant.teamId(), account.teamU));
        Map<String, Object> body = new HashMap<>();
        body.put("assigneeId", assignee == null ? null : assignee.id.toString());
        body.put("teamId", team == null ? null : team.toString());
        JsonPath view = update(account, conversation, "PUT", "/assignment", body);
        Scope scope = new Scope(uuid(view.getString("inboxId")), uuid(view.getString("teamId")), uuid(view.getString("assigneeId")),
                uuid(view.getString("contactId")));
        if (!scope.equals(conversation.scope())) {
            conversation.scopes.add(new World.ScopeSegment(view.getLong("version"), world.clock, scope));
        }
    }

    private JsonPath update(Account account, Conversation conversation, String method, String path, Map<String, Object> body) {
        var request = account.tenant.api(account.tenant.adminToken());
        if (body != null) {
            request.body(body);
        }
        Response response = request.request(method, "/api/v1/conversations/{id}" + path, conversation.id);
        if (response.statusCode() != 200) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.asString());
        }
        JsonPath view = response.jsonPath();
        conversation.version = view.getLong("version");
        return view;
    }

    private void rate(Account account) {
        Conversation resolved = any(account.conversations.stream().filter(c -> "resolved".equals(c.status)).toList());
        if (resolved == null) {
            return;
        }
        Response response = account.tenant.api(resolved.customer.token).body(Map.of("rating", 1 + random.nextInt(5)))
                .put("/api/v1/conversations/{id}/csat", resolved.id);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new AssertionError("rating answered " + response.statusCode() + ": " + response.asString());
        }
        UUID ratingId = UUID.fromString(response.jsonPath().getString("id"));
        world.own(account, ratingId);
        world.ratings.put(ratingId, resolved.id);
    }

    /** An agent of one inbox or one team gains or loses it; the lone agent sometimes gets the other inbox for a while. */
    private void memberships(Account account) {
        Agent agent = any(account.agents.stream().filter(a -> !a.seesWholeAccount()).toList());
        World.Memberships current = agent.current();
        Set<UUID> inboxes;
        Set<UUID> teams;
        if (agent.label.endsWith("inbox-agent")) {
            inboxes = current.inboxIds().isEmpty() ? Set.of(account.tenant.inboxId()) : Set.of();
            teams = Set.of();
        } else if (agent.label.endsWith("team-agent")) {
            inboxes = Set.of();
            teams = current.teamIds().isEmpty() ? Set.of(account.tenant.teamId()) : Set.of();
        } else {
            inboxes = current.inboxIds().isEmpty() ? Set.of(account.inboxB) : Set.of();
            teams = Set.of();
        }
        account.tenant.api(account.tenant.adminToken()).body(Map.of("inboxIds", inboxes, "teamIds", teams))
                .put("/api/v1/agents/{id}/memberships", agent.id).then().statusCode(200);
        agent.memberships.add(new World.Memberships(world.clock, inboxes, teams));
    }

    private void typing() {
        ModelClient client = any(clients.stream().filter(c -> c.connected() && c.transport == Transport.WS).toList());
        if (client == null) {
            return;
        }
        Predicate<ModelClient.Sub> live = sub -> sub.kind == Kind.CONVERSATION && !sub.ended && sub.acknowledged;
        ModelClient.Sub sub = any(client.subs.values().stream().filter(live).toList());
        if (sub != null) {
            world.lastTyping.put(sub.conversationId, world.clock);
            client.typing(sub.conversationId, client.party instanceof Agent && random.nextInt(3) == 0);
        }
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
