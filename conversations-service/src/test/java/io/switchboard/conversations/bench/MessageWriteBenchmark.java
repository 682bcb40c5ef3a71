package io.switchboard.conversations.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Sustained message writes through REST (each message: a row, a conversation update and two events in one
 * transaction), against the packaged service and a durable PostgreSQL (fsync and synchronous commit on),
 * everything on this machine. Not a test: run it on demand (docs/benchmarks.md) and it rewrites its section
 * of docs/benchmarks.md.
 */
public final class MessageWriteBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 64);
        int warmupSeconds = Integer.getInteger("bench.warmup", 20);
        int measureSeconds = Integer.getInteger("bench.duration", 30);
        int conversationCount = Integer.getInteger("bench.conversations", 400);

        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Path keyDir = Files.createTempDirectory("bench-keys");
            Map<String, String> env = new java.util.HashMap<>(ServiceProcess.environmentFor(database, TestTokens.writePublicKey(keyDir)));
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            for (String pair : System.getProperty("bench.env", "").split(",")) {
                if (pair.contains("=")) {
                    env.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
                }
            }
            List<String> jvmOptions = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
            String extra = System.getProperty("bench.jvmOptions", "");
            if (!extra.isBlank()) {
                jvmOptions.addAll(List.of(extra.trim().split("\\s+")));
            }
            try (ServiceProcess service = ServiceProcess.start("conversations-service", env, jvmOptions)) {
                Workload workload = Workload.create(service.baseUrl(), conversationCount);
                System.out.printf("service ready on %s; %d conversations; %d concurrent requests%n",
                        service.baseUrl(), conversationCount, connections);
                Result warmup = run(service.port(), workload, connections, warmupSeconds);
                System.out.printf("warm-up: %.0f messages/s%n", warmup.throughput());
                Result result = run(service.port(), workload, connections, measureSeconds);
                System.out.printf("measured: %.0f messages/s, p50 %.1f ms, p99 %.1f ms, errors %d%n",
                        result.throughput(), result.p50(), result.p99(), result.errors());
                long[] stored = countStored(database, workload.accountId());
                System.out.printf("stored: %d messages, %d events%n", stored[0], stored[1]);
                report(result, connections, conversationCount, measureSeconds, stored, warmup.completed() + result.completed(),
                        String.join(" ", jvmOptions));
            }
        }
    }

    record Result(long completed, long errors, double seconds, double p50, double p95, double p99) {
        double throughput() {
            return completed / seconds;
        }
    }

    /** Tokens and conversations to write to: half the messages from customers, half agent replies. */
    record Workload(UUID accountId, String agentToken, List<UUID> conversations, List<String> customerTokens) {

        static Workload create(String baseUrl, int count) throws Exception {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            JsonNode account = post(http, baseUrl + "/api/v1/accounts", TestTokens.operator(),
                    Map.of("name", "Benchmark", "admin", Map.of("name", "Admin", "email", "admin@bench.test")));
            UUID accountId = UUID.fromString(account.at("/account/id").asText());
            String admin = TestTokens.agent(accountId, UUID.fromString(account.at("/admin/id").asText()), "admin");
            String inbox = post(http, baseUrl + "/api/v1/inboxes", admin, Map.of("name", "Web", "channel", "web_widget")).get("id").asText();
            List<UUID> conversations = new ArrayList<>();
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String customer = TestTokens.customer(accountId, "bench-" + i, "Customer " + i);
                customers.add(customer);
                conversations.add(UUID.fromString(post(http, baseUrl + "/api/v1/conversations", customer,
                        Map.of("inboxId", inbox, "message", Map.of("content", "hello"))).get("id").asText()));
            }
            return new Workload(accountId, admin, conversations, customers);
        }

        private static JsonNode post(java.net.http.HttpClient http, String url, String token, Object body) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        }
    }

    /** Keeps {@code connections} requests in flight for {@code seconds}, each a new message with a unique client id. */
    private static Result run(int port, Workload workload, int connections, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("localhost").setDefaultPort(port)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
        Recorder latencies = new Recorder(3);
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(connections);
        long started = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            send(client, workload, end, latencies, completed, errors, done);
        }
        done.await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - started) / 1e9;
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        var histogram = latencies.getIntervalHistogram();
        return new Result(completed.get(), errors.get(), elapsed,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(95) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0);
    }

    private static void send(HttpClient client, Workload workload, long end, Recorder latencies, AtomicLong completed,
            AtomicLong errors, java.util.concurrent.CountDownLatch done) {
        if (System.nanoTime() >= end) {
            done.countDown();
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int k = random.nextInt(workload.conversations().size());
        String token = random.nextBoolean() ? workload.customerTokens().get(k) : workload.agentToken();
        String body = "{\"content\":\"benchmark message " + random.nextInt(1_000_000) + "\",\"clientMessageId\":\"" + UUID.randomUUID() + "\"}";
        long start = System.nanoTime();
        client.request(HttpMethod.POST, "/api/v1/conversations/" + workload.conversations().get(k) + "/messages")
                .compose(request -> request.putHeader("Authorization", "Bearer " + token)
                        .putHeader("Content-Type", "application/json")
                        .send(Buffer.buffer(body)))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(outcome -> {
                    if (outcome.succeeded() && outcome.result() == 201) {
                        completed.incrementAndGet();
                        latencies.recordValue((System.nanoTime() - start) / 1_000);
                    } else {
                        errors.incrementAndGet();
                    }
                    send(client, workload, end, latencies, completed, errors, done);
                });
    }

    private static long[] countStored(TestDatabase database, UUID accountId) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            long messages;
            long events;
            try (ResultSet row = statement.executeQuery("SELECT count(*) FROM conversations.messages WHERE account_id = '" + accountId + "'")) {
                row.next();
                messages = row.getLong(1);
            }
            try (ResultSet row = statement.executeQuery("SELECT count(*) FROM event_log.events WHERE account_id = '" + accountId + "'")) {
                row.next();
                events = row.getLong(1);
            }
            return new long[] {messages, events};
        }
    }

    private static void report(Result result, int connections, int conversations, int seconds, long[] stored, long written,
            String jvmOptions) {
        String markdown = String.format(Locale.ROOT, """
                ### Latest run

                | figure | value |
                |---|---|
                | sustained throughput | **%.0f messages/s** (target ≥ 3,000) |
                | latency p50 / p95 / p99 | %.1f / %.1f / %.1f ms |
                | errors | %d |
                | concurrent requests | %d over %d conversations, half customer messages, half agent replies |
                | measured window | %d s after a warm-up |
                | stored afterwards | %d messages, %d events (each write: message row, conversation update, `message.created` + `conversation.*` event) |

                Setup: the packaged service (JVM options `%s`), an embedded PostgreSQL 17 with durable defaults (fsync and
                synchronous commit on) and the load generator (Vert.x HTTP client, keep-alive) share one machine:
                %s.
                """, result.throughput(), result.p50(), result.p95(), result.p99(), result.errors(), connections, conversations,
                seconds, stored[0], stored[1], jvmOptions, BenchmarkReport.machine());
        System.out.println("wrote " + BenchmarkReport.write("message-writes", markdown));
        if (stored[0] < written) {
            throw new IllegalStateException("stored fewer messages (" + stored[0] + ") than acknowledged (" + written + ")");
        }
    }
}
