package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.restassured.RestAssured.given;
import static io.switchboard.testing.Tenant.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Nothing malformed ever becomes a 500: every failure is a problem document a client can act on. */
@QuarkusTest
class MalformedInputTest {

    @Test
    void brokenJsonIsABadRequest() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        for (String body : new String[] {"{", "{\"content\": }", "[1,2]", "\"just a string\"", "{\"content\":\"a\"} trailing", "null"}) {
            as(customer).body(body).post("/api/v1/conversations/{id}/messages", id)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", startsWith("https://switchboard.dev/problems/"));
        }
        as(customer).body("").post("/api/v1/conversations/{id}/messages", id).then().statusCode(400);
        as(customer).body("{\"content\": \"x\", \"attachments\": \"no\"}").post("/api/v1/conversations/{id}/messages", id)
                .then().statusCode(400).body("violations[0].field", equalTo("attachments"));
        as(customer).body("{\"inboxId\": \"not-a-uuid\"}").post("/api/v1/conversations")
                .then().statusCode(400).body("violations[0].field", equalTo("inboxId"));
    }

    @Test
    void theApiReadsExactlyTheDocumentedJsonTypesAndStorableText() {
        Tenant tenant = Tenant.create();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID id = tenant.startConversation(customer, "Hi");
        String[][] refused = {
            {"{\"content\": 123}", "content"},
            {"{\"content\": \"nul\\u0000here\"}", "content"},
            {"{\"content\": \"x\\ud800y\"}", "content"},
            {"{\"content\": \"ok\", \"privateNote\": \"true\"}", "privateNote"},
        };
        for (String[] body : refused) {
            as(customer).body(body[0]).post("/api/v1/conversations/{id}/messages", id).then().statusCode(400)
                    .body("type", equalTo("https://switchboard.dev/problems/validation-failed")).body("violations[0].field", equalTo(body[1]));
        }
        as(tenant.adminToken()).body("{\"priority\": 3}").patch("/api/v1/conversations/{id}", id).then().statusCode(400)
                .body("violations[0].field", equalTo("priority"));
        as(tenant.adminToken()).body("{\"name\": 5}").post("/api/v1/teams").then().statusCode(400).body("violations[0].field", equalTo("name"));
        as(tenant.adminToken()).body("[]").post("/api/v1/teams").then().statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed")).body("violations[0].field", equalTo("request"));
        as(tenant.adminToken()).body("<not json>").post("/api/v1/teams").then().statusCode(400)
                .body("type", equalTo("https://switchboard.dev/problems/malformed-request"));
        as(tenant.adminToken()).body("{\"status\": \"snoozed\", \"snoozedUntil\": \"+300000-01-01T00:00:00Z\"}")
                .patch("/api/v1/conversations/{id}", id).then().statusCode(400).body("violations[0].field", equalTo("snoozedUntil"));
        as(tenant.adminToken()).body(java.util.Map.of("inboxIds", java.util.List.of(tenant.inboxId(), tenant.inboxId()), "teamIds", java.util.List.of()))
                .put("/api/v1/agents/{id}/memberships", tenant.adminId()).then().statusCode(400).body("violations[0].field", equalTo("inboxIds"));
        String cursor = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("9000000000000000000/" + UUID.randomUUID()).getBytes());
        as(tenant.adminToken()).queryParam("cursor", cursor).get("/api/v1/contacts").then().statusCode(400).body("violations[0].field", equalTo("cursor"));
        String nulName = io.switchboard.testing.TestTokens.customer(tenant.accountId(), "nul-" + UUID.randomUUID(), "Ann\u0000");
        as(nulName).body(java.util.Map.of("inboxId", tenant.inboxId().toString(), "message", java.util.Map.of("content", "hi")))
                .post("/api/v1/conversations").then().statusCode(400).body("violations[0].field", equalTo("token.name"));
        // the rating as a string or a fraction is refused too (the conversation must be resolved to be rated at all)
        as(tenant.adminToken()).body("{\"status\": \"resolved\"}").patch("/api/v1/conversations/{id}", id).then().statusCode(200);
        for (String rating : new String[] {"\"5\"", "5.5", "1e10"}) {
            as(customer).body("{\"rating\": " + rating + "}").put("/api/v1/conversations/{id}/csat", id).then().statusCode(400)
                    .body("violations[0].field", equalTo("rating"));
        }
        given().auth().oauth2(tenant.adminToken()).accept("text/html").get("/api/v1/conversations/{id}", id).then().statusCode(406)
                .contentType("application/problem+json");
    }

    @Test
    void wrongMethodsMediaTypesAndPathsAreProblemsToo() {
        Tenant tenant = Tenant.create();
        given().auth().oauth2(tenant.adminToken()).contentType(ContentType.TEXT).body("hello")
                .post("/api/v1/inboxes").then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/unsupported-media-type"));
        given().auth().oauth2(tenant.adminToken()).delete("/api/v1/inboxes").then().statusCode(405)
                .contentType("application/problem+json");
        given().auth().oauth2(tenant.adminToken()).get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json");
        as(tenant.adminToken()).get("/api/v1/conversations/{id}", "12345").then().statusCode(404);
        as(tenant.adminToken()).queryParam("inboxId", "nope").get("/api/v1/conversations").then().statusCode(400)
                .body("violations[0].field", equalTo("inboxId"));
        as(tenant.adminToken()).queryParam("limit", "ten").get("/api/v1/conversations").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }
}
