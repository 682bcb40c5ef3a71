package io.switchboard.conversations;

import io.switchboard.testing.Tenant;
import static io.switchboard.testing.Tenant.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OptimisticConcurrencyTest {

    @Test
    void twoUpdatesWithTheSameExpectedVersionExactlyOneWins() throws Exception {
        Tenant tenant = Tenant.create();
        Tenant.Member alice = tenant.inboxAgent();
        Tenant.Member bob = tenant.inboxAgent();
        for (int round = 0; round < 5; round++) {
            UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
            String etag = tenant.conversation(alice.token(), id).extract().header("ETag");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Response> a = pool.submit(() -> {
                    start.await();
                    return as(alice.token()).header("If-Match", etag).body(Map.of("assigneeId", alice.id()))
                            .put("/api/v1/conversations/{id}/assignment", id);
                });
                Future<Response> b = pool.submit(() -> {
                    start.await();
                    return as(bob.token()).header("If-Match", etag).body(Map.of("assigneeId", bob.id()))
                            .put("/api/v1/conversations/{id}/assignment", id);
                });
                start.countDown();
                List<Response> responses = List.of(a.get(), b.get());
                List<Integer> statuses = new ArrayList<>(responses.stream().map(Response::statusCode).toList());
                assertThat(statuses).containsExactlyInAnyOrder(200, 412);
                Response winner = responses.stream().filter(r -> r.statusCode() == 200).findFirst().orElseThrow();
                Response loser = responses.stream().filter(r -> r.statusCode() == 412).findFirst().orElseThrow();
                assertThat(loser.contentType()).startsWith("application/problem+json");
                assertThat(loser.jsonPath().getString("type")).isEqualTo("https://switchboard.dev/problems/version-conflict");
                // the conflict answer carries the current state, which is the winner's
                assertThat(loser.jsonPath().getInt("current.version")).isEqualTo(2);
                assertThat(loser.jsonPath().getString("current.assigneeId")).isEqualTo(winner.jsonPath().getString("assigneeId"));
                assertThat(winner.header("ETag")).isEqualTo("\"2\"");
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aStaleOrMalformedIfMatchIsRefusedAndAbsentOneIsUnconditional() {
        Tenant tenant = Tenant.create();
        Tenant.Member agent = tenant.inboxAgent();
        UUID id = tenant.startConversation(tenant.customerToken("c-" + UUID.randomUUID()), "Hi");
        as(agent.token()).header("If-Match", "\"1\"").body(Map.of("priority", "high")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(200).header("ETag", "\"2\"");
        as(agent.token()).header("If-Match", "\"1\"").body(Map.of("priority", "low")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(412).body("current.priority", equalTo("high")).body("current.version", equalTo(2));
        as(agent.token()).header("If-Match", "W/\"2\"").post("/api/v1/conversations/{id}/archive", id).then().statusCode(200);
        as(agent.token()).header("If-Match", "version-3").body(Map.of("priority", "low")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(400).body("violations[0].field", equalTo("If-Match"));
        as(agent.token()).body(Map.of("priority", "low")).patch("/api/v1/conversations/{id}", id)
                .then().statusCode(200).body("version", equalTo(4));
    }
}
