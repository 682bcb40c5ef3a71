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
        as(customer).body("{\"content\": 12, \"attachments\": \"no\"}").post("/api/v1/conversations/{id}/messages", id)
                .then().statusCode(400).body("violations[0].field", equalTo("attachments"));
        as(customer).body("{\"inboxId\": \"not-a-uuid\"}").post("/api/v1/conversations")
                .then().statusCode(400).body("violations[0].field", equalTo("inboxId"));
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
