package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CsatTest {

    @Test
    void aCustomerRatesAResolvedConversationAndRatingAgainReplacesIt() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String path = "/api/v1/conversations/{id}/csat";
        as(customer).body(Map.of("rating", 5)).put(path, id).then().statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/conversation-not-resolved"));
        as(agent.token()).body(Map.of("assigneeId", agent.id())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(200);
        as(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id).then().statusCode(200);
        as(agent.token()).get(path, id).then().statusCode(404);
        as(customer).body(Map.of("rating", 4, "feedback", "quick")).put(path, id).then().statusCode(201)
                .body("rating", equalTo(4)).body("agentId", equalTo(agent.id().toString())).body("version", equalTo(1));
        as(customer).body(Map.of("rating", 2)).put(path, id).then().statusCode(200)
                .body("rating", equalTo(2)).body("feedback", equalTo(null)).body("version", equalTo(2));
        as(agent.token()).get(path, id).then().statusCode(200).body("rating", equalTo(2));
    }

    @Test
    void ratingsAreValidatedAndOnlyTheConversationsCustomerRates() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        as(agent.token()).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", id).then().statusCode(200);
        String path = "/api/v1/conversations/{id}/csat";
        as(customer).body(Map.of("rating", 6)).put(path, id).then().statusCode(400).body("violations[0].field", equalTo("rating"));
        as(customer).body(Map.of("rating", 0)).put(path, id).then().statusCode(400);
        as(customer).body(Map.of("feedback", "no rating")).put(path, id).then().statusCode(400).body("violations[0].field", equalTo("rating"));
        as(customer).body(Map.of("rating", "five")).put(path, id).then().statusCode(400).body("violations[0].field", equalTo("rating"));
        as(tenant.customerToken("someone-else")).body(Map.of("rating", 1)).put(path, id).then().statusCode(404);
        as(agent.token()).body(Map.of("rating", 5)).put(path, id).then().statusCode(403);
    }
}
