package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Tenant.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.testing.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DirectoryTest {

    @Test
    void anOperatorCreatesAnAccountWithItsFirstAdmin() {
        var body = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "Globex", "timeZone", "America/New_York", "admin", Map.of("name", "Grace", "email", "grace@globex.test")))
                .post("/api/v1/accounts")
                .then().statusCode(201)
                .body("account.name", equalTo("Globex"))
                .body("account.timeZone", equalTo("America/New_York"))
                .body("admin.role", equalTo("admin"))
                .body("admin.status", equalTo("offline"))
                .extract().jsonPath();
        UUID accountId = UUID.fromString(body.getString("account.id"));
        String admin = TestTokens.agent(accountId, UUID.fromString(body.getString("admin.id")), "admin");
        as(admin).get("/api/v1/account").then().statusCode(200).body("id", equalTo(accountId.toString()));
        as(admin).body(Map.of("timeZone", "Asia/Kolkata")).patch("/api/v1/account")
                .then().statusCode(200).body("timeZone", equalTo("Asia/Kolkata")).body("version", equalTo(2));
    }

    @Test
    void accountCreationIsValidatedAndRestrictedToOperators() {
        Tenant tenant = Tenant.create();
        as(tenant.adminToken()).body(Map.of("name", "X", "admin", Map.of("name", "Y", "email", "y@example.com")))
                .post("/api/v1/accounts").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/forbidden"));
        given().contentType(ContentType.JSON).body(Map.of()).post("/api/v1/accounts")
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/unauthenticated"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "", "timeZone", "Mars/Olympus", "admin", Map.of("name", "A", "email", "not-an-email")))
                .post("/api/v1/accounts")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("violations.field", containsInAnyOrder("name", "admin.email"));
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "Z", "timeZone", "Mars/Olympus", "admin", Map.of("name", "A", "email", "a@example.com")))
                .post("/api/v1/accounts")
                .then().statusCode(400).body("violations[0].field", equalTo("timeZone"));
    }

    @Test
    void adminsManageInboxesTeamsAndAgents() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        as(agent.token()).body(Map.of("name", "Email", "channel", "email")).post("/api/v1/inboxes").then().statusCode(403);
        as(tenant.adminToken()).body(Map.of("name", "Email", "channel", "pigeon")).post("/api/v1/inboxes")
                .then().statusCode(400).body("violations[0].field", equalTo("channel"))
                .body("violations[0].message", equalTo("must be one of web_widget, email, api"));
        as(agent.token()).get("/api/v1/inboxes").then().statusCode(200).body("name", hasItem("Website"));
        as(agent.token()).get("/api/v1/teams").then().statusCode(200).body("name", hasItem("Billing"));
        as(agent.token()).get("/api/v1/agents/me").then().statusCode(200)
                .body("inboxIds", equalTo(List.of(tenant.inboxId().toString())))
                .body("role", equalTo("agent"));
        as(tenant.adminToken()).get("/api/v1/agents").then().statusCode(200).body("$", hasSize(2));
    }

    @Test
    void agentEmailsAreUniquePerAccountIgnoringCase() {
        Tenant tenant = Tenant.create();
        Map<String, Object> body = Map.of("name", "Bob", "email", "Bob@Example.com", "role", "agent");
        as(tenant.adminToken()).body(body).post("/api/v1/agents").then().statusCode(201);
        as(tenant.adminToken()).body(Map.of("name", "Bobby", "email", "bob@example.COM", "role", "agent"))
                .post("/api/v1/agents").then().statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/email-taken"));
        // another account may use the same address
        Tenant other = Tenant.create();
        as(other.adminToken()).body(body).post("/api/v1/agents").then().statusCode(201);
    }

    @Test
    void membershipsMustNameThisAccountsInboxesAndTeams() {
        Tenant tenant = Tenant.create();
        Tenant other = Tenant.create();
        Tenant.Member agent = tenant.agent("agent", List.of(), List.of());
        as(tenant.adminToken()).body(Map.of("inboxIds", List.of(other.inboxId()), "teamIds", List.of(tenant.teamId())))
                .put("/api/v1/agents/{id}/memberships", agent.id())
                .then().statusCode(400).body("violations[0].field", equalTo("inboxIds"));
        as(tenant.adminToken()).body(Map.of("inboxIds", List.of(tenant.inboxId()), "teamIds", List.of(tenant.teamId())))
                .put("/api/v1/agents/{id}/memberships", agent.id())
                .then().statusCode(200).body("version", equalTo(2)).body("teamIds", equalTo(List.of(tenant.teamId().toString())));
    }

    @Test
    void agentsSetTheirOwnStatusSupervisorsAnyones() {
        Tenant tenant = Tenant.create();
        Tenant.Member alice = tenant.inboxAgent();
        Tenant.Member bob = tenant.inboxAgent();
        Tenant.Member supervisor = tenant.agent("supervisor", List.of(), List.of());
        as(alice.token()).body(Map.of("status", "online")).put("/api/v1/agents/me/status")
                .then().statusCode(200).body("status", equalTo("online")).body("statusChangedAt", notNullValue());
        as(alice.token()).body(Map.of("status", "away")).put("/api/v1/agents/{id}/status", bob.id()).then().statusCode(403);
        as(supervisor.token()).body(Map.of("status", "busy")).put("/api/v1/agents/{id}/status", bob.id())
                .then().statusCode(200).body("status", equalTo("busy"));
        as(alice.token()).body(Map.of("status", "sleeping")).put("/api/v1/agents/me/status")
                .then().statusCode(400).body("violations[0].field", equalTo("status"));
    }

    @Test
    void aServiceTokenFollowsAgentsStatusAndNothingElse() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String service = TestTokens.service();
        as(service).get("/api/v1/agents/{id}", agent.id()).then().statusCode(200).body("status", equalTo("offline"));
        as(service).body(Map.of("status", "online")).put("/api/v1/agents/{id}/status", agent.id())
                .then().statusCode(200).body("status", equalTo("online"));
        as(service).get("/api/v1/conversations").then().statusCode(403);
        as(service).get("/api/v1/agents").then().statusCode(403);
        as(service).get("/api/v1/agents/{id}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anotherAccountsDirectoryIsNotFound() {
        Tenant tenant = Tenant.create();
        Tenant other = Tenant.create();
        as(tenant.adminToken()).get("/api/v1/agents/{id}", other.adminId()).then().statusCode(404)
                .body("type", equalTo("https://switchboard.dev/problems/not-found"));
        as(tenant.adminToken()).get("/api/v1/inboxes/{id}", other.inboxId()).then().statusCode(404);
        as(tenant.adminToken()).get("/api/v1/teams/{id}", other.teamId()).then().statusCode(404);
        as(tenant.adminToken()).body(Map.of("status", "online")).put("/api/v1/agents/{id}/status", other.adminId()).then().statusCode(404);
        as(tenant.adminToken()).get("/api/v1/agents/not-a-uuid").then().statusCode(404);
    }
}
