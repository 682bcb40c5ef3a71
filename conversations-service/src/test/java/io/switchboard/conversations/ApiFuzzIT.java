package io.switchboard.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.fuzz.ApiFuzzer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every operation of the conversations API, walked with generated hostile requests against the packaged
 * service: never a 5xx, always an answer within 5 s, every error problem+json with a type docs/errors.md
 * lists, entities only ever rendered as JSON, nothing stored by a rejected request. jqwik prints the seed of a
 * failure; more tries on demand: {@code -Djqwik.tries.default=5000} (default 800, the root pom).
 */
class ApiFuzzIT {

    private static ServiceProcess service;
    private static ApiFuzzer fuzzer;

    @BeforeContainer
    static void start() throws Exception {
        Map<String, String> environment = ServiceProcess.testEnvironment();
        environment.put("CONVERSATIONS_SNOOZE_CHECK_INTERVAL", "1h"); // nothing but the fuzzer's requests stores anything
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        service = ServiceProcess.start("conversations-service", environment, List.of("-Xmx512m"));
        fuzzer = ApiFuzzer.of(service.baseUrl(), fixture(service.baseUrl()));
        assertThat(fuzzer.operations()).as("operations in the OpenAPI document").hasSizeGreaterThan(20);
    }

    @AfterContainer
    static void stop() {
        System.out.println("API fuzz answers (status and problem type: count): " + fuzzer.answerSummary());
        service.close();
    }

    @Property
    void noRequestGetsA5xxAHangAnUndocumentedErrorOrStoresWhatItWasRefused(@ForAll("requests") ApiFuzzer.Request request) {
        assertThat(fuzzer.violations(request)).as("%s", request).isEmpty();
    }

    @Provide
    Arbitrary<ApiFuzzer.Request> requests() {
        return fuzzer.requests();
    }

    /** Two accounts with every role, a conversation with messages, a note and a rating; customers with hostile names. */
    private static ApiFuzzer.Fixture fixture(String baseUrl) {
        Map<String, List<String>> ids = new HashMap<>();
        List<ApiFuzzer.Token> tokens = new ArrayList<>();
        tokens.add(new ApiFuzzer.Token("operator", TestTokens.operator()));
        for (int i = 0; i < 2; i++) {
            Tenant tenant = Tenant.create(baseUrl);
            Tenant.Member agent = tenant.inboxAgent();
            Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of(tenant.teamId()));
            String customer = tenant.customerToken("fuzz-" + UUID.randomUUID());
            UUID conversation = tenant.startConversation(customer, "hello");
            String message = tenant.sendMessage(agent.token(), conversation, Map.of("content", "hi")).statusCode(201).extract().path("id");
            tenant.sendMessage(agent.token(), conversation, Map.of("content", "note", "privateNote", true)).statusCode(201);
            tenant.api(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", conversation).then().statusCode(200);
            tokens.add(new ApiFuzzer.Token("admin", tenant.adminToken()));
            tokens.add(new ApiFuzzer.Token("agent", agent.token()));
            tokens.add(new ApiFuzzer.Token("supervisor", supervisor.token()));
            tokens.add(new ApiFuzzer.Token("customer", customer));
            tokens.add(new ApiFuzzer.Token("customer named with NUL",
                    TestTokens.customer(tenant.accountId(), "nul-" + UUID.randomUUID(), "Ann\u0000Nul")));
            tokens.add(new ApiFuzzer.Token("customer named with a lone surrogate",
                    TestTokens.customer(tenant.accountId(), "sur-" + UUID.randomUUID(), "Ann\ud800")));
            add(ids, "conversations", conversation.toString());
            add(ids, "conversationId", conversation.toString());
            add(ids, "messages", message);
            add(ids, "messageId", message);
            add(ids, "agents", agent.id().toString(), supervisor.id().toString(), tenant.adminId().toString());
            add(ids, "agentId", agent.id().toString());
            add(ids, "assigneeId", agent.id().toString(), supervisor.id().toString());
            add(ids, "inboxes", tenant.inboxId().toString());
            add(ids, "inboxId", tenant.inboxId().toString());
            add(ids, "teams", tenant.teamId().toString());
            add(ids, "teamId", tenant.teamId().toString());
            String contact = tenant.conversation(tenant.adminToken(), conversation).extract().path("contactId");
            add(ids, "contacts", contact);
        }
        return new ApiFuzzer.SimpleFixture(tokens, ids, ApiFuzzIT::countEvents);
    }

    private static void add(Map<String, List<String>> ids, String key, String... values) {
        ids.computeIfAbsent(key, k -> new ArrayList<>()).addAll(List.of(values));
    }

    /** Every state change writes events in its transaction: their number is a fingerprint of what is stored. */
    private static long countEvents() {
        try (Connection connection = TestDatabase.shared().connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM event_log.events")) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
