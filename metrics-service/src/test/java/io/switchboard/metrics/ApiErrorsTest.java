package io.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Bad ranges, parameters and callers get problem+json with a stable type, never a 500. */
@QuarkusTest
class ApiErrorsTest {

    private final UUID account = UUID.randomUUID();
    private final String supervisor = TestTokens.agent(account, UUID.randomUUID(), "supervisor");

    @Test
    void invalidRangesNameTheParameter() {
        given().auth().oauth2(supervisor).queryParam("range", "fortnight").get("/api/v1/metrics/csat")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://switchboard.dev/problems/validation-failed"))
                .body("violations.field", hasItem("range"));
        given().auth().oauth2(supervisor).queryParam("range", "custom").queryParam("from", "2026-11-01T09:10:00Z")
                .queryParam("to", "2026-11-01").get("/api/v1/metrics/messages")
                .then().statusCode(400).body("violations.field", hasItem("from"));
        given().auth().oauth2(supervisor).queryParam("range", "custom").queryParam("from", "2026-11-02")
                .queryParam("to", "2026-11-01").get("/api/v1/metrics/messages")
                .then().statusCode(400).body("violations.field", hasItem("to"));
        given().auth().oauth2(supervisor).queryParam("timeZone", "Mars/Olympus").get("/api/v1/metrics/agents")
                .then().statusCode(400).body("violations.field", hasItem("timeZone"));
        given().auth().oauth2(supervisor).queryParam("inboxId", "not-a-uuid").get("/api/v1/metrics/csat")
                .then().statusCode(400).body("violations.field", hasItem("inboxId"));
    }

    @Test
    void callersSeeOnlyWhatTheirRoleAllows() {
        given().get("/api/v1/metrics/csat").then().statusCode(401)
                .body("type", equalTo("https://switchboard.dev/problems/unauthenticated"));
        given().auth().oauth2("not.a.token").get("/api/v1/metrics/csat").then().statusCode(401)
                .body("type", equalTo("https://switchboard.dev/problems/invalid-token"));
        String agent = TestTokens.agent(account, UUID.randomUUID(), "agent");
        given().auth().oauth2(agent).get("/api/v1/metrics/csat").then().statusCode(403)
                .body("type", equalTo("https://switchboard.dev/problems/forbidden"));
        given().auth().oauth2(agent).get("/api/v1/metrics/agents").then().statusCode(200).body("agents.size()", equalTo(0));
        given().auth().oauth2(supervisor).queryParam("accountId", UUID.randomUUID().toString()).get("/api/v1/metrics/queue")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/metrics/queue").then().statusCode(400)
                .body("violations.field", hasItem("accountId"));
        given().auth().oauth2(supervisor).post("/api/v1/metrics/rebuild").then().statusCode(403)
                .body("detail", containsString("operators"));
    }
}
