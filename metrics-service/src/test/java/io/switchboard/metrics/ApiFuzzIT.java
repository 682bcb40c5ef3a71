package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.fuzz.ApiFuzzer;
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
 * Every operation of the metrics API, walked with generated hostile requests against the packaged service:
 * never a 5xx, always an answer within 5 s (time zones are drawn with their transition days, where hour-by-hour
 * arithmetic goes wrong), every error problem+json with a documented type, entities only as JSON. The API
 * stores nothing but an operator's rebuild, which the fold itself undoes, so there is no stored-state check here.
 * jqwik prints the seed of a failure; more tries: {@code -Djqwik.tries.default=5000}.
 */
class ApiFuzzIT {

    private static ServiceProcess service;
    private static ApiFuzzer fuzzer;

    @BeforeContainer
    static void start() throws Exception {
        String conversations = ConversationsServiceResource.baseUrl();
        Map<String, String> environment = ServiceProcess.testEnvironment();
        environment.put("METRICS_FOLD_INTERVAL", "500ms");
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        service = ServiceProcess.start("metrics-service", environment, List.of("-Xmx256m"));
        fuzzer = ApiFuzzer.of(service.baseUrl(), fixture(conversations));
        assertThat(fuzzer.operations()).as("operations in the OpenAPI document").hasSizeGreaterThan(5);
    }

    @AfterContainer
    static void stop() {
        System.out.println("API fuzz answers (status and problem type: count): " + fuzzer.answerSummary());
        service.close();
    }

    @Property
    void noRequestGetsA5xxAHangOrAnUndocumentedError(@ForAll("requests") ApiFuzzer.Request request) {
        assertThat(fuzzer.violations(request)).as("%s", request).isEmpty();
    }

    @Provide
    Arbitrary<ApiFuzzer.Request> requests() {
        return fuzzer.requests();
    }

    private static ApiFuzzer.Fixture fixture(String conversations) {
        Map<String, List<String>> ids = new HashMap<>();
        List<ApiFuzzer.Token> tokens = new ArrayList<>();
        tokens.add(new ApiFuzzer.Token("operator", TestTokens.operator()));
        tokens.add(new ApiFuzzer.Token("service", TestTokens.service()));
        Tenant tenant = Tenant.create(conversations);
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of());
        Tenant.Member agent = tenant.inboxAgent();
        UUID conversation = tenant.startConversation(tenant.customerToken("fuzz-" + UUID.randomUUID()), "hello");
        tenant.sendMessage(agent.token(), conversation, Map.of("content", "hi")).statusCode(201);
        tokens.add(new ApiFuzzer.Token("admin", tenant.adminToken()));
        tokens.add(new ApiFuzzer.Token("supervisor", supervisor.token()));
        tokens.add(new ApiFuzzer.Token("agent", agent.token()));
        tokens.add(new ApiFuzzer.Token("customer", tenant.customerToken("fuzz-" + UUID.randomUUID())));
        ids.put("accountId", List.of(tenant.accountId().toString()));
        ids.put("inboxId", List.of(tenant.inboxId().toString()));
        ids.put("agentId", List.of(agent.id().toString(), supervisor.id().toString()));
        return new ApiFuzzer.SimpleFixture(tokens, ids, () -> 0);
    }
}
