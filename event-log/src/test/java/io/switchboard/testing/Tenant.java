package io.switchboard.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh account built through the public API: an admin, an inbox and a team. Tests create agents and
 * customers in it; accounts isolate tests from each other in the shared database.
 */
public record Tenant(String baseUrl, UUID accountId, UUID adminId, String adminToken, UUID inboxId, UUID teamId) {

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    /** A tenant of the service under test (REST Assured's default base URI and port). */
    public static Tenant create() {
        return create(null);
    }

    /** A tenant of the conversations service at {@code baseUrl} (tests of other services). */
    public static Tenant create(String baseUrl) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        var created = request(baseUrl).auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "Acme " + suffix, "timeZone", "Europe/Berlin",
                        "admin", Map.of("name", "Ada Admin", "email", "ada-" + suffix + "@example.com")))
                .post("/api/v1/accounts").then().statusCode(201).extract().jsonPath();
        UUID accountId = UUID.fromString(created.getString("account.id"));
        UUID adminId = UUID.fromString(created.getString("admin.id"));
        String adminToken = TestTokens.agent(accountId, adminId, "admin");
        UUID inboxId = UUID.fromString(as(baseUrl, adminToken)
                .body(Map.of("name", "Website", "channel", "web_widget"))
                .post("/api/v1/inboxes").then().statusCode(201).extract().path("id"));
        UUID teamId = UUID.fromString(as(baseUrl, adminToken)
                .body(Map.of("name", "Billing"))
                .post("/api/v1/teams").then().statusCode(201).extract().path("id"));
        return new Tenant(baseUrl, accountId, adminId, adminToken, inboxId, teamId);
    }

    /** An agent with the given role and memberships; returns its id and token. */
    public Member agent(String role, List<UUID> inboxIds, List<UUID> teamIds) {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        UUID id = UUID.fromString(api(adminToken).body(Map.of("name", "Agent " + email, "email", email, "role", role,
                        "inboxIds", inboxIds, "teamIds", teamIds))
                .post("/api/v1/agents").then().statusCode(201).extract().path("id"));
        return new Member(id, TestTokens.agent(accountId, id, role));
    }

    /** An agent of the default inbox. */
    public Member inboxAgent() {
        return agent("agent", List.of(inboxId), List.of());
    }

    public String customerToken(String subject) {
        return TestTokens.customer(accountId, subject, "Customer " + subject);
    }

    /** A customer starts a conversation in the default inbox with a first text message; returns its id. */
    public UUID startConversation(String customerToken, String text) {
        return UUID.fromString(api(customerToken)
                .body(Map.of("inboxId", inboxId.toString(), "message", Map.of("content", text)))
                .post("/api/v1/conversations").then().statusCode(201).extract().path("id"));
    }

    public ValidatableResponse sendMessage(String token, UUID conversationId, Map<String, Object> body) {
        return api(token).body(body).post("/api/v1/conversations/{id}/messages", conversationId).then();
    }

    public ValidatableResponse conversation(String token, UUID conversationId) {
        return api(token).get("/api/v1/conversations/{id}", conversationId).then();
    }

    /** A JSON request to this tenant's conversations service with {@code token}. */
    public RequestSpecification api(String token) {
        return as(baseUrl, token);
    }

    /** A JSON request to the service under test with {@code token}. */
    public static RequestSpecification as(String token) {
        return as(null, token);
    }

    private static RequestSpecification as(String baseUrl, String token) {
        return request(baseUrl).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification request(String baseUrl) {
        return baseUrl == null ? given() : given().baseUri(baseUrl);
    }

    public record Member(UUID id, String token) {
    }
}
