package io.switchboard.conversations;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** What operators rely on: health, metrics, API docs, and no development back doors outside the dev build. */
@QuarkusTest
class OperationsTest {

    @Test
    void healthChecksIncludeTheDatabaseAndTheEventLog() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("event-log"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/conversations/{conversationId}/messages"))
                .body("components.securitySchemes", org.hamcrest.Matchers.hasKey("SecurityScheme"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theLocalSignInIsNotPartOfNonDevBuilds() {
        given().contentType(ContentType.JSON).body("{\"operator\":true}").post("/dev/tokens").then().statusCode(404);
        given().get("/dev/identities").then().statusCode(404);
    }
}
