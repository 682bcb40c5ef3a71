package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.gateway.bench.GatewayBenchmark.Account;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ProcStats;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The same fan-out against three servers, one after the other on the same machine (issue 17): a Socket.IO
 * server (a room per account), a bare ws server (a set of sockets per account) and our gateway (conversations
 * service, gateway, PostgreSQL, events committed to the log, clients subscribed to {@code conversations}). The
 * load is the same for each: the same Vert.x WebSocket clients in this JVM (Socket.IO's wire protocol spoken by
 * {@link SocketIoWire}), connections per account, events per second round-robin over the accounts, and events
 * of the same shape and size (a conversation.updated with the conversation). Latency is from the publisher's
 * send (Node servers: the harness sends each event over one publisher WebSocket) or the writer's commit (ours)
 * to the frame's arrival. Not a test: run it on demand (docs/benchmarks.md); it rewrites its section there.
 */
public final class SideBySideBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code fullFrames}: the Node servers' events carry the conversation too (as {@code data}). */
    record Load(int connections, int perAccount, int eventsPerSecond, int warmupSeconds, int measureSeconds, int concurrency, boolean fullFrames) {
    }

    /** Publishes events for a while, round-robin over the accounts from the first; returns how many. */
    interface Publisher {
        int publish(int perSecond, int seconds) throws Exception;
    }

    /** One server's figures; CPU in % of one core over the measured window (and its 2 s drain), -1 where unknown. */
    record Result(String server, double eventsPerSecond, double framesPerSecond, double frameChars, Histogram latency, long expected,
            Map<String, Double> cpu, long rssBefore, long rssAfter, double connectSeconds, long dropped, long failures) {
    }

    public static void main(String[] args) throws Exception {
        Load load = new Load(Integer.getInteger("bench.connections", 10_000), Integer.getInteger("bench.connectionsPerAccount", 10),
                Integer.getInteger("bench.eventsPerSecond", 500), Integer.getInteger("bench.warmup", 20),
                Integer.getInteger("bench.duration", 60), Integer.getInteger("bench.connectConcurrency", 100),
                // changes: the members our gateway sends for these events (to a client that has the conversation: no data);
                // full: plus the conversation, as the gateway sends an event to a client that does not have it yet
                "full".equals(System.getProperty("bench.nodeFrame", "changes")));
        String nodeVersion = NodeServer.install();
        String socketIo = "Socket.IO " + NodeServer.version("socket.io");
        String ws = "ws " + NodeServer.version("ws");
        int accountCount = Math.max(1, load.connections() / load.perAccount());
        List<Result> results = new ArrayList<>();
        String jvmOptions = GatewayBenchmark.gatewayJvmOptions();
        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Map<String, String> base = GatewayBenchmark.serviceEnvironment(database);
            try (ServiceProcess conversations = GatewayBenchmark.startConversations(base)) {
                List<Account> accounts = GatewayBenchmark.createAccounts(conversations, accountCount);
                int[] members = new int[accounts.size()];
                for (int i = 0; i < load.connections(); i++) {
                    members[account(i, load, accounts)]++;
                }
                // what else runs: the harness always; the conversations service and PostgreSQL idle while the Node servers run
                Map<String, DoubleSupplier> stack = new LinkedHashMap<>();
                stack.put("conversations", () -> ProcStats.cpuSeconds(conversations.pid()));
                OptionalLong postmaster = ProcStats.postmaster(database);
                stack.put("postgres", () -> postmaster.isPresent() ? ProcStats.treeCpuSeconds(postmaster.getAsLong()) : -1);
                stack.put("harness", () -> ProcStats.cpuSeconds(ProcessHandle.current().pid()));
                Vertx vertx = Vertx.vertx();
                results.add(runNode(socketIo, "socketio-server.mjs", SocketIoWire.INSTANCE, load, accounts, members, vertx, stack));
                results.add(runNode(ws, "ws-server.mjs", Wire.WS, load, accounts, members, vertx, stack));
                String gatewayLine = "the gateway (JVM options `" + jvmOptions + "`)";
                try (ServiceProcess gateway = ServiceProcess.start("realtime-gateway", GatewayBenchmark.gatewayEnvironment(base, conversations),
                        List.of(jvmOptions.split("\\s+")))) {
                    results.add(runGateway(gateway, database, load, accounts, members, vertx, stack));
                }
                vertx.close();
                report(load, accountCount, results, nodeVersion, gatewayLine);
            }
        }
        System.exit(0);
    }

    private static int account(int connection, Load load, List<Account> accounts) {
        return connection / load.perAccount() % accounts.size();
    }

    private static Result runNode(String label, String script, Wire wire, Load load, List<Account> accounts, int[] members, Vertx vertx,
            Map<String, DoubleSupplier> stack) throws Exception {
        System.out.printf("%s: %d connections%n", label, load.connections());
        try (NodeServer server = NodeServer.start(script)) {
            TimeUnit.SECONDS.sleep(1);
            long rssBefore = ProcStats.rssBytes(server.pid());
            WebSocketClient client = vertx.createWebSocketClient(GatewayBenchmark.clientOptions(server.port(), load.connections()));
            Map<Long, Long> published = new ConcurrentHashMap<>();
            Recorder latency = new Recorder(3);
            NodeClients clients = new NodeClients(client, wire, load.concurrency(), published, latency);
            long connectStart = System.nanoTime();
            for (int i = 0; i < load.connections(); i++) {
                clients.connect(accounts.get(account(i, load, accounts)).tenant().accountId().toString());
            }
            clients.awaitReady(load.connections(), TimeUnit.MINUTES.toNanos(10));
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            TimeUnit.SECONDS.sleep(3);
            long rssAfter = ProcStats.rssBytes(server.pid());
            WebSocket publisher = clients.publisher();
            Map<UUID, Long> versions = GatewayBenchmark.currentVersions(accounts);
            AtomicLong sequence = new AtomicLong();
            Publisher publish = (perSecond, seconds) -> GatewayBenchmark.paced(perSecond, seconds, n -> {
                Account account = accounts.get(n % accounts.size());
                long seq = sequence.incrementAndGet();
                String text = wire.publish(message(account, versions.merge(account.conversationId(), 1L, Long::sum), seq, load.fullFrames()));
                published.put(seq, System.nanoTime());
                publisher.writeTextMessage(text);
            });
            Map<String, DoubleSupplier> cpu = new LinkedHashMap<>();
            cpu.put("server", () -> ProcStats.cpuSeconds(server.pid()));
            cpu.putAll(stack);
            Result result = measure(label, load, publish, latency, clients::frames, () -> new long[] {clients.frames(), clients.chars()}, cpu,
                    members, rssBefore, rssAfter, connectSeconds, clients::dropped, clients::failures);
            if (!server.isAlive()) {
                throw new IllegalStateException(label + " exited during the run; see its log in target/");
            }
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return result;
        }
    }

    private static Result runGateway(ServiceProcess gateway, TestDatabase database, Load load, List<Account> accounts, int[] members,
            Vertx vertx, Map<String, DoubleSupplier> stack) throws Exception {
        System.out.printf("Switchboard gateway: %d connections%n", load.connections());
        TimeUnit.SECONDS.sleep(1);
        long rssBefore = ProcStats.rssBytes(gateway.pid());
        Recorder latency = new Recorder(3);
        Map<String, Long> commits = new ConcurrentHashMap<>();
        AtomicLong frames = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        WebSocketClient client = vertx.createWebSocketClient(GatewayBenchmark.clientOptions(gateway.port(), load.connections()));
        Connector connector = new Connector(client, false, load.concurrency(), frames, failures, commits, latency, sockets);
        long connectStart = System.nanoTime();
        GatewayBenchmark.connectAll(connector, accounts, load.connections(), load.perAccount());
        GatewayBenchmark.subscribeAll(connector, sockets, load.connections());
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        TimeUnit.SECONDS.sleep(3);
        long rssAfter = ProcStats.rssBytes(gateway.pid());
        Map<String, DoubleSupplier> cpu = new LinkedHashMap<>();
        cpu.put("server", () -> ProcStats.cpuSeconds(gateway.pid()));
        cpu.putAll(stack);
        try (Connection writer = database.connect(); EventLogNotifier notifier = new EventLogNotifier(database::connect, EventLogNotifier.DEFAULT_CHANNEL)) {
            writer.setAutoCommit(false);
            Map<UUID, Long> versions = GatewayBenchmark.currentVersions(accounts);
            Publisher publish = (perSecond, seconds) -> GatewayBenchmark.write(writer, notifier, accounts, versions, commits, perSecond, seconds, false);
            Result result = measure("Switchboard gateway", load, publish, latency, frames::get, () -> sentFrames(gateway), cpu, members,
                    rssBefore, rssAfter, connectSeconds, connector::dropped, failures::get);
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return result;
        }
    }

    /** Warm-up, then the measured window and a 2 s drain; the frames and CPU are counted over window and drain. */
    private static Result measure(String label, Load load, Publisher publisher, Recorder latency, LongSupplier frames, Supplier<long[]> sizes,
            Map<String, DoubleSupplier> cpu, int[] members, long rssBefore, long rssAfter, double connectSeconds, LongSupplier dropped,
            LongSupplier failures) throws Exception {
        publisher.publish(load.eventsPerSecond(), load.warmupSeconds());
        latency.getIntervalHistogram();
        long framesBefore = frames.getAsLong();
        long[] sizesBefore = sizes.get();
        Map<String, Double> cpuBefore = new LinkedHashMap<>();
        cpu.forEach((name, seconds) -> cpuBefore.put(name, seconds.getAsDouble()));
        long start = System.nanoTime();
        int published = publisher.publish(load.eventsPerSecond(), load.measureSeconds());
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        TimeUnit.SECONDS.sleep(2);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram histogram = latency.getIntervalHistogram();
        long[] sizesAfter = sizes.get();
        Map<String, Double> cpuPercent = new LinkedHashMap<>();
        cpu.forEach((name, supplier) -> {
            double after = supplier.getAsDouble();
            double before = cpuBefore.get(name);
            cpuPercent.put(name, before < 0 || after < 0 ? -1 : (after - before) / seconds * 100);
        });
        long expected = 0;
        for (int k = 0; k < published; k++) {
            expected += members[k % members.length];
        }
        double frameChars = (sizesAfter[1] - sizesBefore[1]) / (double) Math.max(1, sizesAfter[0] - sizesBefore[0]);
        Result result = new Result(label, published / publishSeconds, (frames.getAsLong() - framesBefore) / seconds, frameChars, histogram,
                expected, cpuPercent, rssBefore, rssAfter, connectSeconds, dropped.getAsLong(), failures.getAsLong());
        System.out.printf(Locale.ROOT, "%s: events %d (%.0f/s), frames %.0f/s of %.0f chars, latency p50 %.1f p95 %.1f p99 %.1f max %.1f ms,"
                + " %d of %d expected frames timed; CPU %% of a core %s; RSS %d -> %d MiB; connected in %.1f s; dropped %d, failures %d%n",
                label, published, result.eventsPerSecond(), result.framesPerSecond(), frameChars, ms(histogram, 50), ms(histogram, 95), ms(histogram, 99),
                histogram.getMaxValue() / 1000.0, histogram.getTotalCount(), expected, cpuPercent, rssBefore >> 20, rssAfter >> 20, connectSeconds,
                result.dropped(), result.failures());
        System.gc();
        return result;
    }

    /**
     * One event as the publisher sends it to a Node server: the account, and the event with the members of our
     * gateway's frame for it (with {@code full}, also the conversation as {@code data}) and the sequence number.
     */
    private static String message(Account account, long version, long seq, boolean full) throws Exception {
        ObjectNode payload = GatewayBenchmark.updatePayload(account, version);
        ObjectNode event = JSON.createObjectNode().put("type", "event");
        event.putObject("subs").put("all", "change");
        event.put("cursor", new EventCursor(1_000_000 + seq, 1).encode()).put("event", "conversation.updated").put("entity", "conversation")
                .put("id", account.conversationId().toString()).put("version", version).put("occurredAt", Instant.now().toString());
        event.set("changes", payload.get("changes"));
        if (full) {
            event.set("data", payload.get("conversation"));
        }
        event.put("seq", seq);
        ObjectNode message = JSON.createObjectNode().put("account", account.tenant().accountId().toString());
        message.set("event", event);
        return JSON.writeValueAsString(message);
    }

    /** The gateway's own count of the WebSocket frames and their characters it has sent (its Prometheus endpoint). */
    private static long[] sentFrames(ServiceProcess gateway) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long[] counts = new long[2];
            for (String line : text.split("\n")) {
                int slot = line.startsWith("switchboard_gateway_frames_sent_total{") ? 0
                        : line.startsWith("switchboard_gateway_bytes_sent_bytes_total{") ? 1 : -1;
                if (slot >= 0 && line.contains("transport=\"websocket\"")) {
                    counts[slot] = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return counts;
        } catch (Exception e) {
            return new long[2];
        }
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private static String cpu(Result result, String name) {
        double value = result.cpu().get(name);
        return value < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", value);
    }

    private static String row(List<Result> results, String figure, java.util.function.Function<Result, String> value, String target) {
        StringBuilder row = new StringBuilder("| ").append(figure).append(" |");
        results.forEach(r -> row.append(' ').append(value.apply(r)).append(" |"));
        return row.append(' ').append(target).append(" |\n").toString();
    }

    private static void report(Load load, int accounts, List<Result> results, String nodeVersion, String gateway) {
        Result socketIo = results.get(0);
        Result ws = results.get(1);
        Result ours = results.get(2);
        double p99 = ms(ours.latency(), 99);
        double againstWs = p99 / ms(ws.latency(), 99);
        double againstSocketIo = p99 / ms(socketIo.latency(), 99);
        StringBuilder table = new StringBuilder("| figure | ");
        results.forEach(r -> table.append(r.server()).append(" | "));
        table.append("target |\n|---|---|---|---|---|\n");
        table.append(row(results, "publish (Node) or commit (ours) → frame latency p50 / p95 / p99 / max", r -> String.format(Locale.ROOT,
                "%.1f / %.1f / %.1f / %.1f ms", ms(r.latency(), 50), ms(r.latency(), 95), ms(r.latency(), 99), r.latency().getMaxValue() / 1000.0),
                "ours: p99 ≤ 1.5 × ws, ≤ Socket.IO"));
        table.append(row(results, "latency samples", r -> String.format(Locale.ROOT, "%d of %d expected frames", r.latency().getTotalCount(),
                r.expected()), ""));
        table.append(row(results, "events published (Node) or committed (ours)", r -> String.format(Locale.ROOT, "%.0f/s", r.eventsPerSecond()),
                String.valueOf(load.eventsPerSecond())));
        table.append(row(results, "frames delivered (per second of the window and the drain)", r -> String.format(Locale.ROOT, "%.0f/s", r.framesPerSecond()), ""));
        table.append(row(results, "average frame (characters of the WebSocket message)", r -> String.format(Locale.ROOT, "%.0f", r.frameChars()), ""));
        table.append(row(results, "CPU of the server process (% of one core)", r -> cpu(r, "server"), ""));
        table.append(row(results, "CPU of the conversations service / PostgreSQL (idle during the Node runs)",
                r -> cpu(r, "conversations") + " / " + cpu(r, "postgres"), ""));
        table.append(row(results, "CPU of the harness (clients, publisher or writer)", r -> cpu(r, "harness"), ""));
        table.append(row(results, "server RSS before → after connecting", r -> String.format(Locale.ROOT, "%d → %d MiB", r.rssBefore() >> 20,
                r.rssAfter() >> 20), ""));
        table.append(row(results, "RSS growth per connection", r -> String.format(Locale.ROOT, "%.1f KiB",
                (r.rssAfter() - r.rssBefore()) / 1024.0 / load.connections()), ""));
        table.append(row(results, "time to connect all (until in the account's room or set; ours: authenticated and subscribed)",
                r -> String.format(Locale.ROOT, "%.1f s", r.connectSeconds()), ""));
        table.append(row(results, "connections dropped / failures", r -> r.dropped() + " / " + r.failures(), "0 / 0"));
        String markdown = String.format(Locale.ROOT, """
                ### Latest run

                %d connections over %d accounts (%d per account), %d events/s round-robin over the accounts, each fanned out to
                its account's connections; %d s warm-up, %d s measured (CPU and frames over the measured window and a 2 s drain);
                the Node servers' events %s.

                %s

                - ours p99 against bare ws: %.2f× (target ≤ 1.5×): %s
                - ours p99 against Socket.IO: %.2f× (target ≤ 1×): %s

                One machine, one server at a time: the Node servers (Node.js %s, one process, one thread each), %s with
                the conversations service and PostgreSQL 17 (durable defaults), the publisher or event writer and the
                client connections (Vert.x, one JVM): %s.
                """, load.connections(), accounts, load.perAccount(), load.eventsPerSecond(), load.warmupSeconds(), load.measureSeconds(),
                load.fullFrames() ? "also carry the conversation (`-Dbench.nodeFrame=full`)" : "carry what our frames carry (no conversation)",
                table.toString().strip(), againstWs, againstWs <= 1.5 ? "met" : "not met", againstSocketIo, againstSocketIo <= 1 ? "met" : "not met",
                nodeVersion, gateway, BenchmarkReport.machine());
        System.out.println(markdown);
        System.out.println("wrote " + BenchmarkReport.write("side-by-side", markdown));
    }
}
