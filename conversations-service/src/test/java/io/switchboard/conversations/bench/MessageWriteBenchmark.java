package io.switchboard.conversations.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ProcStats;
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
 * Sustained message writes through REST (each message: a row, a conversation update and two events, committed
 * by the service's group-commit writer), against the packaged service — the JVM package and, with
 * {@code -Dbench.modes=jvm,native}, the native executable — each on a fresh durable PostgreSQL (fsync and
 * synchronous commit on), everything on this machine; then, in the same run, the PostgreSQL-alone calibration
 * ({@code src/test/pgbench/run.sh}) when pgbench is installed. Not a test: run it on demand
 * (docs/benchmarks.md) and it rewrites its section of docs/benchmarks.md.
 */
public final class MessageWriteBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 64);
        int warmupSeconds = Integer.getInteger("bench.warmup", 20);
        int measureSeconds = Integer.getInteger("bench.duration", 30);
        int conversationCount = Integer.getInteger("bench.conversations", 400);
        int calibrationSeconds = Integer.getInteger("bench.calibrationSeconds", 20);
        List<String> modes = List.of(System.getProperty("bench.modes", "jvm").split(","));

        List<String> jvmOptions = new ArrayList<>(List.of("-Xms1g", "-Xmx1g"));
        String extra = System.getProperty("bench.jvmOptions", "");
        if (!extra.isBlank()) {
            jvmOptions.addAll(List.of(extra.trim().split("\\s+")));
        }
        List<String> rows = new ArrayList<>();
        for (String mode : modes) {
            Result result = measure(mode.trim(), jvmOptions, connections, conversationCount, warmupSeconds, measureSeconds);
            rows.add(result.row());
        }
        List<String> calibration = calibrate(calibrationSeconds);
        report(rows, calibration, connections, conversationCount, measureSeconds, calibrationSeconds, String.join(" ", jvmOptions));
    }

    /** One mode (jvm or native) on its own fresh database: warm-up, then the measured window with CPU accounting. */
    private static Result measure(String mode, List<String> jvmOptions, int connections, int conversationCount, int warmupSeconds,
            int measureSeconds) throws Exception {
        System.setProperty(ServiceProcess.NATIVE_PROPERTY, Boolean.toString(mode.equals("native")));
        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Path keyDir = Files.createTempDirectory("bench-keys");
            Map<String, String> env = new java.util.HashMap<>(ServiceProcess.environmentFor(database, TestTokens.writePublicKey(keyDir)));
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            for (String pair : System.getProperty("bench.env", "").split(",")) {
                if (pair.contains("=")) {
                    env.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
                }
            }
            try (ServiceProcess service = ServiceProcess.start("conversations-service", env, jvmOptions)) {
                Workload workload = Workload.create(service.baseUrl(), conversationCount);
                System.out.printf("%s: service ready on %s; %d conversations; %d concurrent requests%n",
                        mode, service.baseUrl(), conversationCount, connections);
                Run warmup = run(service.port(), workload, connections, warmupSeconds);
                System.out.printf("%s warm-up: %.0f messages/s%n", mode, warmup.throughput());
                long postmaster = ProcStats.postmaster(database).orElse(-1);
                double[] cpuBefore = cpu(service.pid(), postmaster);
                double[] batchesBefore = batchSizes(service.baseUrl());
                Run measured = run(service.port(), workload, connections, measureSeconds);
                double[] cpuAfter = cpu(service.pid(), postmaster);
                double[] batchesAfter = batchSizes(service.baseUrl());
                long[] stored = countStored(database, workload.accountId());
                long acknowledged = warmup.completed() + measured.completed();
                if (stored[0] < acknowledged) {
                    throw new IllegalStateException("stored fewer messages (" + stored[0] + ") than acknowledged (" + acknowledged + ")");
                }
                double perMessage = 1000.0 / Math.max(1, measured.completed());
                Result result = new Result(mode, measured, (cpuAfter[0] - cpuBefore[0]) * perMessage,
                        (cpuAfter[1] - cpuBefore[1]) * perMessage, (cpuAfter[2] - cpuBefore[2]) * perMessage,
                        (batchesAfter[1] - batchesBefore[1]) / Math.max(1, batchesAfter[0] - batchesBefore[0]), stored);
                System.out.println(result.row());
                return result;
            }
        }
    }

    /** CPU seconds so far: the service, PostgreSQL (postmaster and backends), this harness. */
    private static double[] cpu(long service, long postmaster) {
        return new double[] {ProcStats.cpuSeconds(service), postmaster < 0 ? Double.NaN : ProcStats.treeCpuSeconds(postmaster),
                ProcStats.cpuSeconds(ProcessHandle.current().pid())};
    }

    /** count and sum of the service's sends-per-transaction summary (its Prometheus endpoint). */
    private static double[] batchSizes(String baseUrl) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double count = 0;
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("switchboard_message_write_batch_size_count")) {
                count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("switchboard_message_write_batch_size_sum")) {
                sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {count, sum};
    }

    /** The pgbench calibration's lines, run now on this machine (src/test/pgbench/run.sh); why not, if it cannot run. */
    private static List<String> calibrate(int seconds) throws Exception {
        if (seconds <= 0) {
            return List.of("not run: -Dbench.calibrationSeconds=" + seconds);
        }
        Path script = ServiceProcess.repositoryRoot().resolve("conversations-service/src/test/pgbench/run.sh");
        System.out.println("calibration: " + script + " " + seconds);
        Process process = new ProcessBuilder("bash", script.toString(), Integer.toString(seconds)).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("calibration: " + line);
                lines.add(line);
            }
        }
        int exit = process.waitFor();
        List<String> figures = lines.stream().filter(line -> line.contains("messages/s")).toList();
        if (exit != 0 || figures.isEmpty()) {
            return List.of("not run: " + (lines.isEmpty() ? "exit " + exit : lines.getLast()));
        }
        return figures;
    }

    record Run(long completed, long errors, double seconds, double p50, double p95, double p99, double max) {
        double throughput() {
            return completed / seconds;
        }
    }

    record Result(String mode, Run run, double serviceCpuMs, double databaseCpuMs, double harnessCpuMs, double meanBatch,
            long[] stored) {

        String row() {
            return String.format(Locale.ROOT, "| %s | **%.0f** | %.1f / %.1f / %.1f / %.1f ms | %d | %.2f / %.2f / %.2f ms | %.1f | %d / %d |",
                    mode.equals("native") ? "native executable" : "JVM package", run.throughput(), run.p50(), run.p95(), run.p99(),
                    run.max(), run.errors(), serviceCpuMs, databaseCpuMs, harnessCpuMs, meanBatch, stored[0], stored[1]);
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
    private static Run run(int port, Workload workload, int connections, int seconds) throws Exception {
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
        return new Run(completed.get(), errors.get(), elapsed,
                histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(95) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0);
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

    private static void report(List<String> rows, List<String> calibration, int connections, int conversations, int seconds,
            int calibrationSeconds, String jvmOptions) {
        StringBuilder table = new StringBuilder("""
                ### Latest run

                Target: ≥ 1,200 messages/s through REST with p99 ≤ 100 ms and 0 errors.

                | service | messages/s | latency p50 / p95 / p99 / max | errors | CPU per message: service / PostgreSQL / load generator | sends per transaction (mean) | stored afterwards: messages / events |
                |---|---|---|---|---|---|---|
                """);
        rows.forEach(row -> table.append(row).append('\n'));
        table.append(String.format(Locale.ROOT, """

                %d concurrent requests over %d conversations, half customer messages, half agent replies, each with its own
                client message id; %d s measured after a warm-up; each mode on a fresh database. Each write: the message row,
                the conversation's update and two events (`message.created` and `conversation.*`).

                PostgreSQL alone, the same run (`conversations-service/src/test/pgbench/run.sh %d`: the service's schema and
                statements driven by pgbench, no service in between, both cores to itself):

                ```
                %s
                ```

                Setup: the packaged service (JVM options `%s`; a native executable takes the same heap options), an embedded
                PostgreSQL 17 with durable defaults (fsync and synchronous commit on) and the load generator (Vert.x HTTP
                client, keep-alive) share one machine: %s.
                """, connections, conversations, seconds, calibrationSeconds, String.join("\n", calibration), jvmOptions,
                BenchmarkReport.machine()));
        System.out.println("wrote " + BenchmarkReport.write("message-writes", table.toString()));
    }
}
