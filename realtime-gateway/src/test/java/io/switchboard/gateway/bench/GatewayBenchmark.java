package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.EventLogWriter;
import io.switchboard.eventlog.Ids;
import io.switchboard.eventlog.RoutingScope;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.OtlpCollector;
import io.switchboard.testing.ProcStats;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestTraces;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.HdrHistogram.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commit-to-socket latency and delivered frames per second with many authenticated WebSocket connections,
 * and heap per idle authenticated connection. Events are written straight into the log at a fixed rate (the
 * gateway only reads the log); clients measure from the writer's commit to the frame's arrival.
 * Not a test: run it on demand (docs/benchmarks.md); it rewrites its section of docs/benchmarks.md.
 */
public final class GatewayBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Account(Tenant tenant, UUID conversationId, JsonNode conversation) {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.getInteger("bench.connections", 10_000);
        long openFiles = openFilesLimit();
        if (openFiles < connections + 1_500L) {
            throw new IllegalStateException("open files limit " + openFiles + " is too low for " + connections
                    + " connections (each needs one in the harness and one in the gateway, which inherits the limit): "
                    + "raise it first (ulimit -n 131072 && ./mvnw ...; raising the hard limit needs root with CAP_SYS_RESOURCE)");
        }
        int perAccount = Integer.getInteger("bench.connectionsPerAccount", 10);
        int eventsPerSecond = Integer.getInteger("bench.eventsPerSecond", 500);
        int warmupSeconds = Integer.getInteger("bench.warmup", 20);
        int connectConcurrency = Integer.getInteger("bench.connectConcurrency", 100);
        // header: Authorization on the handshake; frame: an auth frame after it, as the browser client library does
        boolean authFrame = "frame".equals(System.getProperty("bench.auth", "header"));
        int measureSeconds = Integer.getInteger("bench.duration", 60);
        // on: the gateway traces every event (each written in a sampled span, as a traced request's would be) and
        // exports its relay spans to a collector in this JVM; off: tracing switched off, as by default
        boolean traced = "on".equals(System.getProperty("bench.tracing", "off"));
        int accounts = Math.max(1, connections / perAccount);

        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Map<String, String> base = serviceEnvironment(database);
            try (ServiceProcess conversations = startConversations(base)) {
                Map<String, String> gatewayEnv = gatewayEnvironment(base, conversations);
                if (traced) {
                    gatewayEnv.putAll(OtlpCollector.shared().exportEnvironment());
                    gatewayEnv.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "1s");
                    gatewayEnv.put("QUARKUS_OTEL_BSP_MAX_QUEUE_SIZE", "20000");
                }
                Path safepointLog = Path.of("target", "bench-gateway-safepoints.log").toAbsolutePath();
                Files.deleteIfExists(safepointLog);
                String jvmOptions = gatewayJvmOptions();
                List<String> gatewayJvm = new ArrayList<>(List.of(jvmOptions.split("\\s+")));
                gatewayJvm.add(GcPauses.logOption(safepointLog));
                try (ServiceProcess gateway = ServiceProcess.start("realtime-gateway", gatewayEnv, gatewayJvm)) {
                    System.out.println("gateway JVM: " + jvmOptions + (traced ? "; tracing on" : "; tracing off"));
                    run(database, conversations, gateway, new GcPauses(safepointLog), connections, perAccount, accounts, eventsPerSecond, warmupSeconds, measureSeconds, jvmOptions,
                            connectConcurrency, authFrame, traced);
                }
            }
        }
        System.exit(0);
    }

    private static void run(TestDatabase database, ServiceProcess conversations, ServiceProcess gateway, GcPauses gc, int connections, int perAccount,
            int accountCount, int eventsPerSecond, int warmupSeconds, int measureSeconds, String jvmOptions, int connectConcurrency,
            boolean authFrame, boolean traced)
            throws Exception {
        List<Account> accounts = createAccounts(conversations, accountCount);
        long heapBefore = heapUsedAfterGc(gateway);
        Map<String, long[]> histogramBefore = Boolean.getBoolean("bench.histogram") ? classHistogram(gateway) : null;

        Vertx vertx = Vertx.vertx();
        // one source address has about 28,000 ephemeral ports: past 20,000 connections, more loopback addresses
        int sources = Integer.getInteger("bench.sourceAddresses", (connections + 19_999) / 20_000);
        List<WebSocketClient> clients = new ArrayList<>();
        for (int i = 1; i <= sources; i++) {
            clients.add(vertx.createWebSocketClient(clientOptions(gateway.port(), connections).setLocalAddress("127.0.0." + i)));
        }
        Map<String, Long> commits = new ConcurrentHashMap<>();
        Recorder latency = new Recorder(3);
        AtomicLong frames = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<io.vertx.core.http.WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        Connector connector = new Connector(clients, authFrame, connectConcurrency, frames, failures, commits, latency, sockets);
        long connectStart = System.nanoTime();
        connectAll(connector, accounts, connections, perAccount);
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        Thread.sleep(3_000);
        long heapIdle = heapUsedAfterGc(gateway);
        long rssIdle = ProcStats.rssBytes(gateway.pid());
        double heapPerConnection = (heapIdle - heapBefore) / (double) connections;
        System.out.printf("%d connections authenticated in %.0f s (%d handshakes repeated after a close); heap %d MiB before, %d MiB with them idle: %.0f bytes per connection%n",
                connections, connectSeconds, connector.retries(), heapBefore >> 20, heapIdle >> 20, heapPerConnection);
        if (histogramBefore != null) {
            printGrowth(histogramBefore, classHistogram(gateway), connections);
        }
        subscribeAll(connector, sockets, connections);
        Thread.sleep(3_000);
        double heapPerSubscribed = (heapUsedAfterGc(gateway) - heapBefore) / (double) connections;
        System.out.printf("with one subscription each: %.0f bytes per connection%n", heapPerSubscribed);

        try (Connection writer = database.connect(); EventLogNotifier notifier = new EventLogNotifier(database::connect, EventLogNotifier.DEFAULT_CHANNEL)) {
            writer.setAutoCommit(false);
            Map<UUID, Long> versions = currentVersions(accounts);
            write(writer, notifier, accounts, versions, commits, eventsPerSecond, warmupSeconds, traced);
            latency.getIntervalHistogram();
            long framesBefore = frames.get();
            gc.start();
            long start = System.nanoTime();
            long spansBefore = traced ? OtlpCollector.shared().received() : 0;
            int written = write(writer, notifier, accounts, versions, commits, eventsPerSecond, measureSeconds, traced);
            Thread.sleep(2_000);
            double seconds = (System.nanoTime() - start) / 1e9 - 2;
            var histogram = latency.getIntervalHistogram();
            double gatewayPause = gc.gatewayLongestPause();
            long ownGc = gc.ownCollectionMillisSinceStart();
            double framesPerSecond = (frames.get() - framesBefore) / (seconds + 2);
            System.out.printf("events %d (%.0f/s), frames %.0f/s, latency p50 %.1f p95 %.1f p99 %.1f max %.1f ms, failures %d, connections dropped %d; gateway longest pause %.1f ms, load generator GC %d ms in all%n",
                    written, written / seconds, framesPerSecond, histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0, failures.get(), connector.dropped(), gatewayPause, ownGc);
            String tracing = "off (default)";
            if (traced) {
                Thread.sleep(2_000); // the exporter's last batch
                tracing = String.format(Locale.ROOT, "on: every event written in a sampled span; %d relay spans exported for %d events",
                        OtlpCollector.shared().received() - spansBefore, written);
                System.out.println("tracing " + tracing);
            }
            report(connections, perAccount, accountCount, written / seconds, framesPerSecond, histogram, heapPerConnection, heapPerSubscribed,
                    connectSeconds, connector.retries(), authFrame, gatewayPause, ownGc, measureSeconds, jvmOptions, histogram.getTotalCount(), (long) written * perAccount,
                    tracing, heapIdle, rssIdle, traced ? "gateway-traced" : connections > 10_000 ? "gateway-large" : "gateway");
        }
        vertx.close();
    }

    /** Writes conversation.updated events round-robin over the accounts at a fixed rate, one transaction each. */
    static int write(Connection connection, EventLogNotifier notifier, List<Account> accounts, Map<UUID, Long> versions,
            Map<String, Long> commits, int perSecond, int seconds, boolean traced) throws Exception {
        EventLogWriter writer = new EventLogWriter();
        return paced(perSecond, seconds, written -> {
            Account account = accounts.get(written % accounts.size());
            long version = versions.merge(account.conversationId(), 1L, Long::sum);
            EventEnvelope event = update(account, version);
            writer.begin(connection, account.conversationId());
            try (Scope ignored = traced ? Span.wrap(sampledWriter()).makeCurrent() : Scope.noop()) {
                writer.append(connection, List.of(event));
            }
            connection.commit();
            commits.put(account.conversationId() + "/" + version, System.nanoTime());
            notifier.signal();
        });
    }

    /** The payload of a conversation.updated event that flips the conversation's priority to {@code version}'s. */
    static ObjectNode updatePayload(Account account, long version) {
        ObjectNode conversation = account.conversation().deepCopy();
        String priority = version % 2 == 0 ? "high" : "low";
        conversation.put("priority", priority).put("version", version).put("updatedAt", Instant.now().toString());
        ObjectNode payload = JSON.createObjectNode().put("version", version);
        payload.putObject("changes").put("priority", priority);
        payload.putObject("previous").put("priority", version % 2 == 0 ? "low" : "high");
        payload.set("conversation", conversation);
        return payload;
    }

    /** One step of a paced loop, given its index (0, 1, 2, …). */
    interface Step {
        void run(int index) throws Exception;
    }

    /** Runs {@code step} {@code perSecond} times a second for {@code seconds} (a late step is followed at once by the next); returns how many ran. */
    static int paced(int perSecond, int seconds, Step step) throws Exception {
        long intervalNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        long end = next + TimeUnit.SECONDS.toNanos(seconds);
        int done = 0;
        while (System.nanoTime() < end) {
            step.run(done);
            done++;
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        return done;
    }

    /** A priority change of the account's conversation, as the conversations service logs it. */
    static EventEnvelope update(Account account, long version) {
        ObjectNode payload = updatePayload(account, version);
        JsonNode conversation = payload.get("conversation");
        UUID inbox = UUID.fromString(conversation.path("inboxId").asText());
        UUID contact = UUID.fromString(conversation.path("contactId").asText());
        return new EventEnvelope(Ids.newId(), "conversation.updated", account.tenant().accountId(), "conversation",
                account.conversationId(), version, Instant.now(), Actor.system(), new RoutingScope(inbox, null, null, contact, false), payload);
    }

    /** This process's soft limit of open files (the JVM raises it to the hard limit at start). */
    private static long openFilesLimit() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    /** A writing transaction's span context as a traced, sampled request would have it. */
    private static SpanContext sampledWriter() {
        return SpanContext.create(TestTraces.traceId(), TestTraces.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
    }

    /** Instances and bytes per class (jcmd GC.class_histogram, which runs a full GC first). */
    private static Map<String, long[]> classHistogram(ServiceProcess gateway) throws Exception {
        Process process = new ProcessBuilder(jcmd(), Long.toString(gateway.pid()), "GC.class_histogram").redirectErrorStream(true).start();
        Map<String, long[]> classes = new HashMap<>();
        for (String line : new String(process.getInputStream().readAllBytes()).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                classes.put(parts[3], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
            }
        }
        process.waitFor();
        return classes;
    }

    /** Which classes grew with the connections, per connection (for finding what a connection costs). */
    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int connections) {
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]}))
                .filter(e -> e.getValue()[1] > 0)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(45)
                .forEach(e -> System.out.printf("  %7.1f objects %7.0f bytes  %s%n", e.getValue()[0] / (double) connections,
                        e.getValue()[1] / (double) connections, e.getKey()));
    }

    private static String jcmd() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd").toString();
    }

    /** The gateway's used heap right after a full GC, read with jcmd. */
    private static long heapUsedAfterGc(ServiceProcess gateway) throws Exception {
        String jcmd = jcmd();
        for (int i = 0; i < 2; i++) {
            new ProcessBuilder(jcmd, Long.toString(gateway.pid()), "GC.run").redirectErrorStream(true).start().waitFor();
        }
        Process info = new ProcessBuilder(jcmd, Long.toString(gateway.pid()), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        // G1: "used 101234K"; ZGC: "used 98M"
        var matcher = java.util.regex.Pattern.compile("used (\\d+)([KMG])").matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("cannot read the heap from: " + text);
        }
        int shift = switch (matcher.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(matcher.group(1)) << shift;
    }

    private static void report(int connections, int perAccount, int accounts, double eventsPerSecond, double framesPerSecond,
            org.HdrHistogram.Histogram latency, double heapPerConnection, double heapPerSubscribed, double connectSeconds, long retries, boolean authFrame, double gatewayPause, long ownGc,
            int seconds,
            String jvmOptions,
            long measured, long expected, String tracing, long heapIdle, long rssIdle, String block) {
        boolean large = block.equals("gateway-large");
        String markdown = String.format(Locale.ROOT, """
                ### Latest run%s

                | figure | value | target |
                |---|---|---|
                | connections (token in %s; browser-like handshake headers; subscribed to their account's conversations) | %d over %d accounts (%d per account) | %s |
                | event rate (one transaction per event) | %.0f events/s | 500 |
                | frames delivered | %.0f frames/s | |
                | commit → frame latency p50 / p95 / p99 / max | %.1f / %.1f / %.1f / %.1f ms | p99 ≤ %s ms |
                | latency samples | %d of %d expected frames | |
                | heap per idle authenticated connection | %.0f bytes (%.1f KiB) | ≤ 8 KiB |
                | … with one `conversations` subscription | %.0f bytes (%.1f KiB) | |
                | gateway heap in use with all connections idle (after a full GC) / resident memory (RSS) | %d MiB / %d MiB | %s |
                | time to connect and authenticate all | %.0f s (%d handshakes closed before authentication, repeated with backoff) | |
                | pauses in the measured window | gateway: longest stop-the-world pause %.1f ms; load generator: %d ms of collection in all | |
                | tracing | %s | |

                Measured over %d s after a warm-up. The gateway (JVM options `%s`), the conversations service (asked
                once per connection for the agent's memberships), PostgreSQL 17 (durable defaults), the event writer
                and the %d client connections (Vert.x, one JVM) share one machine: %s.
                """, block.equals("gateway") ? "" : large ? " with " + connections + " connections" : " with tracing on",
                authFrame ? "an auth frame after the handshake" : "the handshake's Authorization header", connections, accounts, perAccount,
                large ? "50,000" : "10,000", eventsPerSecond, framesPerSecond,
                latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(95) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0, latency.getMaxValue() / 1000.0, large ? "50" : "25", measured, expected,
                heapPerConnection, heapPerConnection / 1024, heapPerSubscribed, heapPerSubscribed / 1024, heapIdle >> 20, rssIdle >> 20,
                large ? "heap ≤ 1 GiB" : "", connectSeconds, retries, gatewayPause, ownGc, tracing, seconds, jvmOptions, connections, BenchmarkReport.machine());
        System.out.println("wrote " + BenchmarkReport.write(block, markdown));
    }

    /** The services' environment: the benchmark's database, a fresh token key, warnings only in the logs. */
    static Map<String, String> serviceEnvironment(TestDatabase database) throws java.io.IOException {
        Path keys = Files.createTempDirectory("bench-keys");
        Path key = TestTokens.writePublicKey(keys);
        Map<String, String> base = new HashMap<>(ServiceProcess.environmentFor(database, key));
        base.put("QUARKUS_LOG_LEVEL", "WARN");
        return base;
    }

    static ServiceProcess startConversations(Map<String, String> base) {
        return ServiceProcess.start("conversations-service", base, List.of("-Xmx512m"));
    }

    /** The gateway's environment (mutable): the conversations service to load identities from, 8 database connections. */
    static Map<String, String> gatewayEnvironment(Map<String, String> base, ServiceProcess conversations) {
        Map<String, String> gatewayEnv = new HashMap<>(base);
        gatewayEnv.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", conversations.baseUrl());
        gatewayEnv.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "8");
        return gatewayEnv;
    }

    /** The gateway's JVM options: {@code -Dbench.gatewayHeap} (1g) as -Xms and -Xmx, then {@code -Dbench.gatewayJvmOptions}. */
    static String gatewayJvmOptions() {
        String gatewayHeap = System.getProperty("bench.gatewayHeap", "1g");
        return ("-Xms" + gatewayHeap + " -Xmx" + gatewayHeap + " "
                + System.getProperty("bench.gatewayJvmOptions", "-XX:+UseG1GC -XX:MaxGCPauseMillis=20")).trim();
    }

    /** One account per {@code count}, each with a conversation started by a customer, and that conversation as the API shows it. */
    static List<Account> createAccounts(ServiceProcess conversations, int count) throws Exception {
        System.out.printf("creating %d accounts%n", count);
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Tenant tenant = Tenant.create(conversations.baseUrl());
            UUID id = tenant.startConversation(tenant.customerToken("bench-" + i), "hello");
            JsonNode conversation = JSON.readTree(tenant.conversation(tenant.adminToken(), id).extract().asString());
            accounts.add(new Account(tenant, id, conversation));
        }
        return accounts;
    }

    /** Opens {@code connections} connections, connection i as the admin of account i / perAccount, and waits until all are authenticated. */
    static void connectAll(Connector connector, List<Account> accounts, int connections, int perAccount) throws InterruptedException {
        for (int i = 0; i < connections; i++) {
            connector.connect(accounts.get(i / perAccount % accounts.size()).tenant().adminToken());
        }
        connector.awaitAuthenticated(connections, TimeUnit.MINUTES.toNanos(10));
    }

    /** The load generator's WebSocket client settings: localhost:{@code port}, room for {@code connections}. */
    static WebSocketClientOptions clientOptions(int port, int connections) {
        return new WebSocketClientOptions().setDefaultHost("localhost").setDefaultPort(port).setMaxConnections(connections + 10)
                .setConnectTimeout(30_000);
    }

    /** Each account's conversation and its version when the accounts were created (the writer counts on from there). */
    static Map<UUID, Long> currentVersions(List<Account> accounts) {
        Map<UUID, Long> versions = new HashMap<>();
        accounts.forEach(a -> versions.put(a.conversationId(), a.conversation().path("version").asLong()));
        return versions;
    }

    /** Subscribes every connection to its account's conversations and waits for all the answers. */
    static void subscribeAll(Connector connector, List<io.vertx.core.http.WebSocket> sockets, int connections) throws InterruptedException {
        synchronized (sockets) {
            sockets.forEach(socket -> socket.writeTextMessage("{\"type\":\"subscribe\",\"id\":\"all\",\"topic\":\"conversations\"}"));
        }
        connector.awaitSubscribed(connections, TimeUnit.MINUTES.toNanos(5));
    }
}
