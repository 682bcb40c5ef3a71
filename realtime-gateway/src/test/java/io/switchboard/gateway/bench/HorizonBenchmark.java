package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import io.switchboard.testing.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Delivery latency with and without transactions that hold an id open elsewhere on the PostgreSQL server
 * (docs/benchmarks.md, issue 15). A customer writes through REST at a steady rate; an agent's WebSocket
 * (subscribed to the conversation and the list) receives each message; latency = frame arrival − the POST's
 * answer. The run cycles through the modes in short slices, so each gets the same share of a noisy machine:
 * no blocker; a blocker that every 5 s holds a transaction id for 2 s in another schema of the same database;
 * the same in another database of the cluster; and, for contrast, an open event writer (which holds back what
 * commits after it: the guarantee). Not a test: it rewrites its section of docs/benchmarks.md.
 */
public final class HorizonBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Mode {
        NONE("no blocker"),
        SAME_DATABASE("2 s blocker every 5 s, another schema of the same database"),
        OTHER_DATABASE("2 s blocker every 5 s, another database of the cluster"),
        EVENT_WRITER("for contrast: an event writer open 2 s every 5 s");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private record Sent(String id, long answered) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 5);
        int sliceSeconds = Integer.getInteger("bench.slice", 10);
        int messagesPerSecond = Integer.getInteger("bench.messagesPerSecond", 20);
        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Path key = TestTokens.writePublicKey(Files.createTempDirectory("bench-keys"));
            Map<String, String> base = new HashMap<>(ServiceProcess.environmentFor(database, key));
            base.put("QUARKUS_LOG_LEVEL", "WARN");
            try (ServiceProcess conversations = ServiceProcess.start("conversations-service", base, List.of("-Xmx512m"))) {
                Map<String, String> gatewayEnv = new HashMap<>(base);
                gatewayEnv.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversations.baseUrl());
                try (ServiceProcess gateway = ServiceProcess.start("realtime-gateway", gatewayEnv, List.of("-Xmx512m"))) {
                    prepare(database);
                    Map<Mode, Histogram> results = run(database, conversations, gateway, rounds, sliceSeconds, messagesPerSecond);
                    report(results, rounds, sliceSeconds, messagesPerSecond);
                }
            }
        }
        System.exit(0);
    }

    private static void prepare(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_unrelated");
            statement.execute("CREATE TABLE IF NOT EXISTS bench_unrelated.work (id bigint)");
            if (!statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'bench_other'").next()) {
                statement.execute("CREATE DATABASE bench_other");
            }
        }
    }

    private static Map<Mode, Histogram> run(TestDatabase database, ServiceProcess conversations, ServiceProcess gateway, int rounds,
            int sliceSeconds, int messagesPerSecond) throws Exception {
        Tenant tenant = Tenant.create(conversations.baseUrl());
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("bench-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "hello");
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        WebSocket socket = connect(gateway, agent.token(), arrivals);
        socket.sendText("{\"type\":\"subscribe\",\"id\":\"c\",\"topic\":\"conversation:" + conversation + "\"}", true).join();
        socket.sendText("{\"type\":\"subscribe\",\"id\":\"all\",\"topic\":\"conversations\"}", true).join();
        HttpClient http = HttpClient.newHttpClient();
        URI messages = URI.create(conversations.baseUrl() + "/api/v1/conversations/" + conversation + "/messages");
        Map<Mode, Histogram> results = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            results.put(mode, new Histogram(TimeUnit.SECONDS.toMicros(30), 3));
        }
        System.out.println("warming up");
        slice(database, Mode.NONE, sliceSeconds, messagesPerSecond, http, messages, customer, arrivals, new Histogram(3));
        for (int round = 1; round <= rounds; round++) {
            for (Mode mode : Mode.values()) {
                System.out.printf("round %d of %d: %s%n", round, rounds, mode.label);
                slice(database, mode, sliceSeconds, messagesPerSecond, http, messages, customer, arrivals, results.get(mode));
            }
        }
        socket.abort();
        return results;
    }

    /** One slice of one mode: messages at a steady rate, the blocker (if any) 0.5–2.5 s and 5.5–7.5 s into every 10 s. */
    private static void slice(TestDatabase database, Mode mode, int seconds, int messagesPerSecond, HttpClient http, URI messages,
            String customer, Map<String, Long> arrivals, Histogram into) throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        CompletableFuture<Void> blocker = mode == Mode.NONE ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> block(database, mode, start, end));
        List<Sent> sent = new ArrayList<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / messagesPerSecond;
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(messages)
                    .header("Authorization", "Bearer " + customer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"content\":\"m\"}")).build(), HttpResponse.BodyHandlers.ofString());
            long answered = System.nanoTime();
            if (response.statusCode() != 201) {
                throw new IllegalStateException("message POST answered " + response.statusCode() + ": " + response.body());
            }
            sent.add(new Sent(JSON.readTree(response.body()).path("id").asText(), answered));
        }
        blocker.get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Sent message : sent) {
            while (!arrivals.containsKey(message.id())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("message " + message.id() + " never reached the agent");
                }
                Thread.sleep(5);
            }
            // a frame can beat the POST's answer to the client; that counts as no delay
            into.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(arrivals.remove(message.id()) - message.answered())));
        }
    }

    /** Holds a transaction id for 2 s every 5 s of the slice, on the target the mode names. */
    private static void block(TestDatabase database, Mode mode, long start, long end) {
        try (Connection connection = mode == Mode.OTHER_DATABASE
                ? DriverManager.getConnection(database.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/bench_other$1"), database.user(), database.password())
                : database.connect()) {
            connection.setAutoCommit(false);
            for (long opens = start + TimeUnit.MILLISECONDS.toNanos(500); opens + TimeUnit.SECONDS.toNanos(2) <= end;
                    opens += TimeUnit.SECONDS.toNanos(5)) {
                long wait = opens - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                try (Statement statement = connection.createStatement()) {
                    if (mode == Mode.EVENT_WRITER) {
                        statement.execute("SELECT event_log.announce_writer()");
                    }
                    statement.execute(mode == Mode.OTHER_DATABASE ? "CREATE TEMP TABLE IF NOT EXISTS work (id bigint)"
                            : "INSERT INTO bench_unrelated.work VALUES (1)");
                }
                Thread.sleep(2_000);
                connection.rollback();
            }
        } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException("blocker failed", e);
        }
    }

    private static WebSocket connect(ServiceProcess gateway, String token, Map<String, Long> arrivals) {
        CompletableFuture<Void> authenticated = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                long now = System.nanoTime();
                partial.append(data);
                if (last) {
                    try {
                        JsonNode frame = JSON.readTree(partial.toString());
                        if ("authenticated".equals(frame.path("type").asText())) {
                            authenticated.complete(null);
                        } else if ("message.created".equals(frame.path("event").asText())) {
                            arrivals.putIfAbsent(frame.path("id").asText(), now);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://localhost:" + gateway.port() + "/ws"), listener).join();
        authenticated.orTimeout(10, TimeUnit.SECONDS).join();
        return socket;
    }

    private static void report(Map<Mode, Histogram> results, int rounds, int sliceSeconds, int messagesPerSecond) {
        Histogram none = results.get(Mode.NONE);
        StringBuilder rows = new StringBuilder();
        for (Mode mode : Mode.values()) {
            Histogram h = results.get(mode);
            double p99 = h.getValueAtPercentile(99) / 1000.0;
            String added = mode == Mode.NONE ? "—" : String.format(Locale.ROOT, "%+.1f ms", p99 - none.getValueAtPercentile(99) / 1000.0);
            rows.append(String.format(Locale.ROOT, "| %s | %d | %.1f / %.1f / %.1f / %.1f ms | %s |%n", mode.label, h.getTotalCount(),
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0, p99, h.getMaxValue() / 1000.0, added));
        }
        String markdown = String.format(Locale.ROOT, """
                ### Latest run

                | mode | messages | POST answer → frame p50 / p95 / p99 / max | added at p99 |
                |---|---|---|---|
                %s
                Target: an unrelated blocker (same database or another one) adds < 10 ms at p99. %d rounds of %d s slices per
                mode, interleaved, %d messages/s from one customer, one agent socket subscribed to the conversation and the
                list; the conversations service, the gateway, PostgreSQL 17 (durable) and the harness share one machine: %s.
                """, rows, rounds, sliceSeconds, messagesPerSecond, BenchmarkReport.machine());
        System.out.print(markdown);
        System.out.println("wrote " + BenchmarkReport.write("horizon", markdown));
    }
}
