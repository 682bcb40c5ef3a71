package io.switchboard.conversations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message sends through the packaged service — the JVM package, or the native executable with {@code -Pnative}
 * — where the group-commit writer's plain-JDBC path (attachments as JSON, retries read back from the table,
 * concurrent sends sharing transactions) runs as in production.
 */
class MessageWritesIT {

    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        var environment = ServiceProcess.testEnvironment();
        environment.put("QUARKUS_LOG_LEVEL", "WARN");
        service = ServiceProcess.start("conversations-service", environment, List.of("-Xmx512m"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void attachmentsAndRetriesRoundTripThroughTheWriter() {
        Tenant tenant = Tenant.create(service.baseUrl());
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "Here is a photo");
        Map<String, Object> photo = Map.of("type", "image", "clientMessageId", "photo-1", "attachments", List.of(Map.of(
                "url", "https://cdn.example.com/p.png", "mimeType", "image/png", "fileName", "p.png", "sizeBytes", 2048,
                "width", 640, "height", 480)));
        String id = tenant.sendMessage(customer, conversation, photo).statusCode(201)
                .body("attachments[0].width", equalTo(640)).extract().path("id");
        // the retry is read back from the table: the same message, attachments and all
        tenant.sendMessage(customer, conversation, photo).statusCode(200).body("id", equalTo(id))
                .body("attachments[0].fileName", equalTo("p.png")).body("attachments[0].height", equalTo(480));
        tenant.sendMessage(tenant.adminToken(), conversation, Map.of("content", "mine?", "clientMessageId", "photo-1")).statusCode(409)
                .body("type", equalTo("https://switchboard.dev/problems/client-message-id-taken"));
        tenant.conversation(tenant.adminToken(), conversation).body("lastMessagePreview", equalTo("[image]"))
                .body("agentUnreadCount", equalTo(2));
    }

    @Test
    void aBurstOfConcurrentSendsIsWrittenOnceEach() throws Exception {
        Tenant tenant = Tenant.create(service.baseUrl());
        List<UUID> conversations = new ArrayList<>();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String customer = tenant.customerToken("c-" + UUID.randomUUID());
            customers.add(customer);
            conversations.add(tenant.startConversation(customer, "hello " + i));
        }
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            int k = n % 4;
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/conversations/" + conversations.get(k) + "/messages"))
                    .header("Authorization", "Bearer " + customers.get(k)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"burst " + n + "\",\"clientMessageId\":\"b-" + n + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : answers) {
            assertThat(answer.join().statusCode()).as(answer.join().body()).isEqualTo(201);
        }
        for (int k = 0; k < 4; k++) {
            // created with the first message (version 1), then one change per message
            tenant.conversation(tenant.adminToken(), conversations.get(k)).body("version", equalTo(51)).body("agentUnreadCount", equalTo(51));
        }
    }
}
