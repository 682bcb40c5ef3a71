package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Tenant.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.switchboard.testing.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthorizationTest {

    @Test
    void nothingCrossesAccounts() {
        Tenant mine = Tenant.create();
        Tenant theirs = Tenant.create();
        String theirCustomer = theirs.customerToken("c-" + UUID.randomUUID());
        UUID theirConversation = theirs.startConversation(theirCustomer, "private matter");
        String theirMessage = as(theirCustomer).get("/api/v1/conversations/{id}/messages", theirConversation)
                .then().extract().path("items[0].id");
        String myAdmin = mine.adminToken();
        mine.conversation(myAdmin, theirConversation).statusCode(404).body("type", equalTo("https://switchboard.dev/problems/not-found"));
        as(myAdmin).get("/api/v1/conversations/{id}/messages", theirConversation).then().statusCode(404);
        mine.sendMessage(myAdmin, theirConversation, Map.of("content", "hi")).statusCode(404);
        as(myAdmin).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", theirConversation).then().statusCode(404);
        as(myAdmin).body(Map.of("assigneeId", mine.adminId())).put("/api/v1/conversations/{id}/assignment", theirConversation).then().statusCode(404);
        as(myAdmin).body(Map.of("status", "read")).put("/api/v1/conversations/{c}/messages/{m}/status", theirConversation, theirMessage).then().statusCode(404);
        as(myAdmin).get("/api/v1/conversations/{id}/csat", theirConversation).then().statusCode(404);
        as(myAdmin).get("/api/v1/conversations").then().body("items.id", not(hasItem(theirConversation.toString())));
        // a customer token of my account with the same subject is a different customer
        String lookalike = TestTokens.customer(mine.accountId(), "same-subject", null);
        theirs.startConversation(theirs.customerToken("same-subject"), "theirs");
        as(lookalike).get("/api/v1/conversations").then().body("items.size()", equalTo(0));
    }

    @Test
    void anAgentSeesItsInboxesTeamsAndAssignmentsOnly() {
        Tenant tenant = Tenant.create();
        Tenant.Member insider = tenant.inboxAgent();
        Tenant.Member outsider = tenant.agent("agent", List.of(), List.of());
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of());
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
        tenant.conversation(insider.token(), id).statusCode(200);
        tenant.conversation(supervisor.token(), id).statusCode(200);
        tenant.conversation(outsider.token(), id).statusCode(404);
        as(outsider.token()).get("/api/v1/conversations").then().body("items.size()", equalTo(0));
        as(outsider.token()).get("/api/v1/queue").then().body("depth", equalTo(0));
        tenant.sendMessage(outsider.token(), id, Map.of("content", "hi")).statusCode(404);

        // transferred to a team the outsider belongs to: now visible
        as(tenant.adminToken()).body(Map.of("inboxIds", List.of(), "teamIds", List.of(tenant.teamId())))
                .put("/api/v1/agents/{id}/memberships", outsider.id()).then().statusCode(200);
        as(insider.token()).body(Map.of("teamId", tenant.teamId())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(200);
        tenant.conversation(outsider.token(), id).statusCode(200);
        as(outsider.token()).get("/api/v1/conversations").then().body("items.id", hasItem(id.toString()));

        // an assignee sees its conversation even without membership
        Tenant.Member assignee = tenant.agent("agent", List.of(), List.of());
        as(supervisor.token()).body(Map.of("assigneeId", assignee.id())).put("/api/v1/conversations/{id}/assignment", id).then().statusCode(200);
        tenant.conversation(assignee.token(), id).statusCode(200);
    }

    @Test
    void aCustomerSeesOnlyItsOwnConversationsAndCannotActAsAnAgent() {
        Tenant tenant = Tenant.create();
        String alice = tenant.customerToken("alice-" + UUID.randomUUID());
        String mallory = tenant.customerToken("mallory-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(alice, "my address is ...");
        tenant.startConversation(mallory, "hello");
        tenant.conversation(mallory, conversation).statusCode(404);
        as(mallory).get("/api/v1/conversations/{id}/messages", conversation).then().statusCode(404);
        tenant.sendMessage(mallory, conversation, Map.of("content", "let me in")).statusCode(404);
        as(mallory).get("/api/v1/conversations").then().body("items.id", not(hasItem(conversation.toString())));
        as(alice).body(Map.of("status", "resolved")).patch("/api/v1/conversations/{id}", conversation).then().statusCode(403);
        as(alice).get("/api/v1/agents").then().statusCode(403);
        as(alice).get("/api/v1/queue").then().statusCode(403);
        as(alice).get("/api/v1/contacts").then().statusCode(403);
    }

    @Test
    void badTokensAreUnauthorizedProblems() {
        Tenant tenant = Tenant.create();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
        given().get("/api/v1/conversations").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2("not.a.jwt").get("/api/v1/conversations").then().statusCode(401)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-token"));
        String expired = TestTokens.agent(tenant.accountId(), tenant.adminId(), "admin", Duration.ofSeconds(-120));
        as(expired).get("/api/v1/conversations/{id}", id).then().statusCode(401);
        String noAccount = TestTokens.sign(Jwt.claims().subject("x").groups(Set.of("agent")).claim("agent_id", UUID.randomUUID().toString()), Duration.ofMinutes(5));
        as(noAccount).get("/api/v1/conversations").then().statusCode(401)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-token"))
                .body("detail", equalTo("the token has no account_id claim"));
        String noRole = TestTokens.sign(Jwt.claims().subject("x").groups(Set.of("visitor")).claim("account_id", tenant.accountId().toString()), Duration.ofMinutes(5));
        as(noRole).get("/api/v1/conversations").then().statusCode(403);
    }
}
