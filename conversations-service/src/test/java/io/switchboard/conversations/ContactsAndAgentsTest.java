package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestTokens;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ContactsAndAgentsTest {

    @Test
    void agentsListAndReadTheAccountsContactsOnly() {
        Tenant tenant = Tenant.create();
        Tenant other = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        String subject = "jane-" + UUID.randomUUID();
        String customer = TestTokens.customer(tenant.accountId(), subject, "Jane Doe");
        tenant.startConversation(customer, "Hi");
        other.startConversation(other.customerToken("elsewhere"), "Hi");
        String contactId = as(customer).get("/api/v1/contacts/me").then().statusCode(200)
                .body("name", equalTo("Jane Doe")).body("externalId", equalTo(subject)).extract().path("id");
        as(agent.token()).get("/api/v1/contacts").then().statusCode(200)
                .header("X-Event-Cursor", org.hamcrest.Matchers.notNullValue())
                .body("items.id", equalTo(List.of(contactId)));
        as(agent.token()).get("/api/v1/contacts/{id}", contactId).then().statusCode(200).body("name", equalTo("Jane Doe"));
        as(other.adminToken()).get("/api/v1/contacts/{id}", contactId).then().statusCode(404);
        as(other.adminToken()).get("/api/v1/contacts").then().body("items.id", not(hasItem(contactId)));
    }

    @Test
    void adminsRenameAgentsAndChangeTheirRole() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        as(agent.token()).body(Map.of("role", "admin")).patch("/api/v1/agents/{id}", agent.id()).then().statusCode(403);
        as(tenant.adminToken()).body(Map.of("name", "Renamed", "role", "supervisor")).patch("/api/v1/agents/{id}", agent.id())
                .then().statusCode(200).body("name", equalTo("Renamed")).body("role", equalTo("supervisor")).body("version", equalTo(2));
        as(tenant.adminToken()).body(Map.of("name", "")).patch("/api/v1/agents/{id}", agent.id())
                .then().statusCode(400).body("violations[0].field", equalTo("name"));
        as(tenant.adminToken()).body(Map.of("role", "boss")).patch("/api/v1/agents/{id}", agent.id())
                .then().statusCode(400).body("violations[0].field", equalTo("role"));
    }

    @Test
    void accountSettingsAreValidated() {
        Tenant tenant = Tenant.create();
        as(tenant.adminToken()).body(Map.of("timeZone", "Nowhere/Town")).patch("/api/v1/account")
                .then().statusCode(400).body("violations[0].field", equalTo("timeZone"));
        as(tenant.inboxAgent().token()).body(Map.of("name", "Mine")).patch("/api/v1/account").then().statusCode(403);
        as(tenant.customerToken("c")).get("/api/v1/account").then().statusCode(403);
    }
}
