package io.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.testing.TestTokens;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** The metrics service under test (REST Assured's default target, or {@code baseUrl}), decimals kept exact. */
final class MetricsApi {

    private static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    private final String baseUrl;

    MetricsApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    RequestSpecification as(String token) {
        RequestSpecification request = given().config(EXACT).auth().oauth2(token);
        return baseUrl == null ? request : request.baseUri(baseUrl);
    }

    JsonPath get(String token, String path, Map<String, ?> parameters) {
        return as(token).queryParams(parameters).get("/api/v1/metrics/" + path).then().statusCode(200).extract().jsonPath();
    }

    JsonPath status() {
        return as(TestTokens.operator()).get("/api/v1/metrics/status").then().statusCode(200).extract().jsonPath();
    }

    /** Waits until every event now in the log is folded. */
    void awaitFolded() {
        String head = status().getString("logHead");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath status = status();
            return status.getString("halted") == null && EventCursor.parse(status.getString("position"))
                    .compareTo(EventCursor.parse(head)) >= 0;
        });
    }

    /** A JSON value as text, the way {@link BruteForce} renders its figures. */
    static String text(Object value) {
        return value == null ? "null" : value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
