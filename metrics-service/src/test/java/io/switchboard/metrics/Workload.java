package io.switchboard.metrics;

import io.restassured.response.Response;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A randomized support workload written through the real conversations API: conversations started by
 * customers, messages of every type, replies and private notes, delivery statuses, assignments and transfers,
 * resolutions, reopenings, archive, ratings and re-ratings. Phases run against conversations-service
 * processes whose clock is shifted ({@code CONVERSATIONS_CLOCK_OFFSET}), so the history spans a month.
 */
final class Workload {

    private static final String[] TYPES = {"text", "image", "file", "audio", "video"};

    private final Random random;
    private final List<Conversation> conversations = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private Tenant tenant;
    private List<UUID> inboxes;
    private List<UUID> teams;
    private List<Tenant.Member> agents;
    private String baseUrl;
    private int requests;

    record Conversation(UUID id, String customerToken) {
    }

    record Message(UUID id, UUID conversationId, boolean fromCustomer, String customerToken) {
    }

    Workload(long seed) {
        this.random = new Random(seed);
    }

    Tenant tenant() {
        return tenant;
    }

    List<Tenant.Member> agents() {
        return agents;
    }

    List<UUID> inboxes() {
        return inboxes;
    }

    int requests() {
        return requests;
    }

    /** Runs {@code operations} random operations with the service clock shifted by {@code offset}. */
    void phase(Duration offset, int operations) {
        Map<String, String> environment = ServiceProcess.testEnvironment();
        environment.put("CONVERSATIONS_CLOCK_OFFSET", offset.toString());
        try (ServiceProcess service = ServiceProcess.start("conversations-service", environment, List.of("-Xmx384m"))) {
            baseUrl = service.baseUrl();
            if (tenant == null) {
                setUp();
            }
            for (int i = 0; i < operations; i++) {
                operate();
            }
        }
    }

    private void setUp() {
        tenant = Tenant.create(baseUrl);
        tenant.api(tenant.adminToken()).body(Map.of("timeZone", "Asia/Kathmandu")).patch("/api/v1/account").then().statusCode(200);
        UUID second = UUID.fromString(tenant.api(tenant.adminToken()).body(Map.of("name", "Mobile", "channel", "api"))
                .post("/api/v1/inboxes").then().statusCode(201).extract().path("id"));
        inboxes = List.of(tenant.inboxId(), second);
        UUID otherTeam = UUID.fromString(tenant.api(tenant.adminToken()).body(Map.of("name", "Sales"))
                .post("/api/v1/teams").then().statusCode(201).extract().path("id"));
        teams = List.of(tenant.teamId(), otherTeam);
        agents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            agents.add(tenant.agent(i == 0 ? "supervisor" : "agent", inboxes, teams));
        }
    }

    private void operate() {
        int choice = conversations.size() < 5 ? 0 : random.nextInt(100);
        if (choice < 12) {
            startConversation();
        } else if (choice < 32) {
            customerMessage(pick(conversations));
        } else if (choice < 55) {
            agentMessage(pick(conversations));
        } else if (choice < 67) {
            deliveryStatus(pick(messages));
        } else if (choice < 76) {
            assign(pick(conversations));
        } else if (choice < 86) {
            status(pick(conversations));
        } else if (choice < 90) {
            archive(pick(conversations));
        } else if (choice < 96) {
            rate(pick(conversations));
        } else {
            agentStatus();
        }
    }

    private void startConversation() {
        String customer = TestTokens.customer(tenant.accountId(), "customer-" + UUID.randomUUID(), "Customer");
        Response response = call(customer).body(Map.of("inboxId", pick(inboxes).toString(), "message", messageBody(false)))
                .post("/api/v1/conversations");
        expect(response, 201);
        UUID id = UUID.fromString(response.path("id"));
        conversations.add(new Conversation(id, customer));
        List<String> ids = call(customer).get("/api/v1/conversations/{id}/messages", id).then().statusCode(200)
                .extract().path("items.id");
        ids.forEach(message -> messages.add(new Message(UUID.fromString(message), id, true, customer)));
    }

    private void customerMessage(Conversation conversation) {
        Response response = call(conversation.customerToken()).body(messageBody(false))
                .post("/api/v1/conversations/{id}/messages", conversation.id());
        expect(response, 201);
        messages.add(new Message(UUID.fromString(response.path("id")), conversation.id(), true, conversation.customerToken()));
    }

    private void agentMessage(Conversation conversation) {
        boolean note = random.nextInt(5) == 0;
        Map<String, Object> body = messageBody(note);
        Response response = call(pick(agents).token()).body(body).post("/api/v1/conversations/{id}/messages", conversation.id());
        expect(response, 201);
        if (!note) {
            messages.add(new Message(UUID.fromString(response.path("id")), conversation.id(), false, conversation.customerToken()));
        }
    }

    /** The recipient reports delivery or reading; an agent marks an outgoing message failed. Backwards moves are refused (409). */
    private void deliveryStatus(Message message) {
        String status = List.of("delivered", "read", "read", "failed").get(random.nextInt(4));
        String token = "failed".equals(status) ? agents.get(1).token()
                : message.fromCustomer() ? agents.get(1).token() : message.customerToken();
        if ("failed".equals(status) && message.fromCustomer()) {
            return;
        }
        Response response = call(token).body(Map.of("status", status))
                .put("/api/v1/conversations/{c}/messages/{m}/status", message.conversationId(), message.id());
        expect(response, 200, 409);
    }

    private void assign(Conversation conversation) {
        Map<String, Object> body = new HashMap<>();
        int kind = random.nextInt(4);
        if (kind != 3) {
            body.put("assigneeId", pick(agents).id().toString());
        }
        if (kind >= 1 && kind != 3 || kind == 3 && random.nextBoolean()) {
            body.put("teamId", pick(teams).toString());
        }
        expect(call(tenant.adminToken()).body(body).put("/api/v1/conversations/{id}/assignment", conversation.id()), 200);
    }

    private void status(Conversation conversation) {
        String status = List.of("resolved", "resolved", "resolved", "pending", "open").get(random.nextInt(5));
        expect(call(pick(agents).token()).body(Map.of("status", status)).patch("/api/v1/conversations/{id}", conversation.id()),
                200);
    }

    private void archive(Conversation conversation) {
        String action = random.nextInt(3) == 0 ? "unarchive" : "archive";
        expect(call(tenant.adminToken()).post("/api/v1/conversations/{id}/" + action, conversation.id()), 200);
    }

    private void rate(Conversation conversation) {
        Response response = call(conversation.customerToken()).body(Map.of("rating", 1 + random.nextInt(5)))
                .put("/api/v1/conversations/{id}/csat", conversation.id());
        expect(response, 200, 201, 409);
    }

    private void agentStatus() {
        Tenant.Member agent = pick(agents);
        String status = List.of("online", "busy", "away", "offline").get(random.nextInt(4));
        expect(call(agent.token()).body(Map.of("status", status)).put("/api/v1/agents/me/status"), 200);
    }

    private Map<String, Object> messageBody(boolean privateNote) {
        String type = privateNote ? "text" : TYPES[random.nextInt(TYPES.length)];
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("privateNote", privateNote);
        if ("text".equals(type)) {
            body.put("content", "message " + random.nextInt(1_000_000));
        } else {
            body.put("attachments", List.of(Map.of("url", "https://files.example.com/" + random.nextInt(1000) + "." + type,
                    "mimeType", type + "/x", "sizeBytes", 1 + random.nextInt(100_000))));
        }
        return body;
    }

    private io.restassured.specification.RequestSpecification call(String token) {
        requests++;
        return Tenant.as(token).baseUri(baseUrl);
    }

    private static void expect(Response response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw new AssertionError("unexpected " + response.statusCode() + ": " + response.asString());
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
