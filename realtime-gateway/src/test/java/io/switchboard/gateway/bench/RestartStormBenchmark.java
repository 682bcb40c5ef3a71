package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.eventlog.EventEnvelope;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.EventLogWriter;
import io.switchboard.testing.BenchmarkReport;
import io.switchboard.testing.ProcStats;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A gateway restart under load: 10,000 resuming dashboards on gateway A, events flowing at 500/s; A is
 * stopped (SIGTERM drain, or kill -9), at least 100 more events per account are committed while it is
 * down, a new A starts and every client comes back with its cursor. Measures how long until the last client
 * has every event again, whether any event was lost or repeated, what the storm cost PostgreSQL, and the live
 * latency of 1,000 undisturbed clients on a second instance B meanwhile. Rewrites its section of
 * docs/benchmarks.md. Not a test: run on demand (docs/benchmarks.md, "Restart storm").
 */
public final class RestartStormBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** How a round stops gateway A, and whether the new A fills its window before serving. */
    record Mode(String name, boolean kill, boolean warmStart) {
        static Mode parse(String name) {
            return switch (name) {
                case "drain" -> new Mode(name, false, true);
                case "kill" -> new Mode(name, true, true);
                case "kill-cold" -> new Mode(name, true, false);
                default -> throw new IllegalArgumentException("bench.modes: drain, kill or kill-cold, not " + name);
            };
        }
    }

    record Round(Mode mode, double downSeconds, int missedEvents, double startSeconds, double lastCaughtUpSeconds, double lastResubscribedSeconds,
            double lastAuthenticatedSeconds, Histogram subscribing, Histogram catchUp, int resumed, Histogram liveWhileDown, Histogram live, long lost, long duplicates, long resets, Map<String, Double> gatewayMeters,
            double postgresCpuSeconds, double gatewayCpuSeconds, double ownCpuSeconds, double stormSeconds, long transactions, long rowsRead) {
    }

    public static void main(String[] args) {
        try {
            run();
            System.exit(0);
        } catch (Throwable failure) {
            // exit at once: the clients' and the writer's threads would otherwise keep Maven waiting
            failure.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        int connections = Integer.getInteger("bench.connections", 10_000);
        int perAccount = Integer.getInteger("bench.connectionsPerAccount", 10);
        int eventsPerSecond = Integer.getInteger("bench.eventsPerSecond", 500);
        int missedPerAccount = Integer.getInteger("bench.missedPerAccount", 100);
        int warmupSeconds = Integer.getInteger("bench.warmup", 20);
        List<Mode> modes = Arrays.stream(System.getProperty("bench.modes", "drain,kill,kill-cold").split(",")).map(Mode::parse).toList();
        int accountCount = Math.max(1, connections / perAccount);

        try (TestDatabase database = TestDatabase.start(TestDatabase.Durability.DURABLE, 0, null)) {
            Map<String, String> base = GatewayBenchmark.serviceEnvironment(database);
            try (ServiceProcess conversations = GatewayBenchmark.startConversations(base)) {
                Map<String, String> gatewayEnv = GatewayBenchmark.gatewayEnvironment(base, conversations);
                gatewayEnv.put("QUARKUS_LOG_CATEGORY__IO_SWITCHBOARD_GATEWAY_EVENTS__LEVEL", "INFO");
                List<String> jvm = List.of(GatewayBenchmark.gatewayJvmOptions().split("\\s+"));
                try (ServiceProcess observed = ServiceProcess.start("realtime-gateway", gatewayEnv, List.of("-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"))) {
                    new RestartStormBenchmark(database, conversations, observed, gatewayEnv, jvm, connections, perAccount, accountCount,
                            eventsPerSecond, missedPerAccount, warmupSeconds).run(modes);
                }
            }
        }
    }

    private final TestDatabase database;
    private final ServiceProcess conversations;
    private final ServiceProcess observed;
    private final Map<String, String> gatewayEnv;
    private final List<String> gatewayJvm;
    private final int connections;
    private final int perAccount;
    private final int accountCount;
    private final int eventsPerSecond;
    private final int missedPerAccount;
    private final int warmupSeconds;
    private final List<GatewayBenchmark.Account> steady = new ArrayList<>();
    private final List<GatewayBenchmark.Account> missed = new ArrayList<>();
    private final Map<UUID, Long> versions = new ConcurrentHashMap<>();
    private final AtomicInteger gatewayPort = new AtomicInteger();
    private ServiceProcess gateway;

    private RestartStormBenchmark(TestDatabase database, ServiceProcess conversations, ServiceProcess observed, Map<String, String> gatewayEnv,
            List<String> gatewayJvm, int connections, int perAccount, int accountCount, int eventsPerSecond, int missedPerAccount, int warmupSeconds) {
        this.database = database;
        this.conversations = conversations;
        this.observed = observed;
        this.gatewayEnv = gatewayEnv;
        this.gatewayJvm = gatewayJvm;
        this.connections = connections;
        this.perAccount = perAccount;
        this.accountCount = accountCount;
        this.eventsPerSecond = eventsPerSecond;
        this.missedPerAccount = missedPerAccount;
        this.warmupSeconds = warmupSeconds;
    }

    private void run(List<Mode> modes) throws Exception {
        System.out.printf("creating %d accounts with two conversations each%n", accountCount);
        for (int i = 0; i < accountCount; i++) {
            Tenant tenant = Tenant.create(conversations.baseUrl());
            steady.add(account(tenant, "steady-" + i));
            missed.add(account(tenant, "missed-" + i));
        }
        gateway = startGateway(true);
        Vertx vertx = Vertx.vertx();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections * 2).setConnectTimeout(10_000));
        List<ResumingClient> clients = new ArrayList<>();
        Semaphore handshakes = new Semaphore(100);
        long connectStart = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            int account = i / perAccount % accountCount;
            Map<String, Long> start = Map.of(steady.get(account).conversationId().toString(), versions.get(steady.get(account).conversationId()),
                    missed.get(account).conversationId().toString(), versions.get(missed.get(account).conversationId()));
            ResumingClient resuming = new ResumingClient(vertx, client, gatewayPort::get, steady.get(account).tenant().adminToken(), account, start);
            clients.add(resuming);
            handshakes.acquire();
            resuming.connect(handshakes::release);
        }
        handshakes.acquire(100);
        System.out.printf("%d resuming clients subscribed on gateway A in %.0f s%n", connections, (System.nanoTime() - connectStart) / 1e9);

        // undisturbed clients on instance B: one per account, live latency throughout
        Map<String, Long> commits = new ConcurrentHashMap<>();
        Recorder live = new Recorder(3);
        AtomicLong liveFrames = new AtomicLong();
        AtomicLong liveFailures = new AtomicLong();
        List<io.vertx.core.http.WebSocket> liveSockets = java.util.Collections.synchronizedList(new ArrayList<>());
        WebSocketClient observerClient = vertx.createWebSocketClient(GatewayBenchmark.clientOptions(observed.port(), accountCount));
        Connector observers = new Connector(observerClient, false, 100, liveFrames, liveFailures, commits, live, liveSockets);
        GatewayBenchmark.connectAll(observers, steady, accountCount, 1);
        GatewayBenchmark.subscribeAll(observers, liveSockets, accountCount);

        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().name("steady-writer").daemon().start(() -> writeSteadily(writing, commits));
        System.out.printf("events at %d/s; warming up %d s%n", eventsPerSecond, warmupSeconds);
        Thread.sleep(warmupSeconds * 1000L);

        List<Round> rounds = new ArrayList<>();
        for (Mode mode : modes) {
            rounds.add(round(mode, clients, live));
            Thread.sleep(10_000);
        }
        writing.set(false);
        writer.join();
        Thread.sleep(5_000);
        Map<String, Long> finals = new HashMap<>();
        versions.forEach((id, version) -> finals.put(id.toString(), version));
        long missing = 0;
        long stillClosed = 0;
        for (ResumingClient resuming : clients) {
            Map<String, Long> own = Map.of(steady.get(resuming.account).conversationId().toString(), finals.get(steady.get(resuming.account).conversationId().toString()),
                    missed.get(resuming.account).conversationId().toString(), finals.get(missed.get(resuming.account).conversationId().toString()));
            missing += resuming.missingAgainst(own);
            stillClosed += resuming.isOpen() ? 0 : 1;
        }
        System.out.printf("at the end: %d versions missing against the log, %d clients not connected, %d observer frames, %d observer failures%n",
                missing, stillClosed, liveFrames.get(), liveFailures.get());
        report(rounds, missing, stillClosed);
        gateway.close();
        vertx.close();
    }

    private GatewayBenchmark.Account account(Tenant tenant, String customer) throws Exception {
        UUID id = tenant.startConversation(tenant.customerToken(customer), "hello");
        JsonNode conversation = JSON.readTree(tenant.conversation(tenant.adminToken(), id).extract().asString());
        versions.put(id, conversation.path("version").asLong());
        return new GatewayBenchmark.Account(tenant, id, conversation);
    }

    private ServiceProcess startGateway(boolean warmStart) {
        Map<String, String> env = new HashMap<>(gatewayEnv);
        env.put("GATEWAY_LOG_WARM_START", Boolean.toString(warmStart));
        ServiceProcess started = ServiceProcess.start("realtime-gateway", env, gatewayJvm);
        gatewayPort.set(started.port());
        return started;
    }

    private Round round(Mode mode, List<ResumingClient> clients, Recorder live) throws Exception {
        System.out.printf("--- round %s%n", mode.name());
        clients.forEach(ResumingClient::newRound);
        live.getIntervalHistogram();
        long stormStart = System.nanoTime();
        if (mode.kill()) {
            gateway.kill();
        } else if (gateway.terminate(java.time.Duration.ofSeconds(60)) == null) {
            throw new IllegalStateException("gateway A did not exit within 60 s of SIGTERM");
        }
        long down = System.nanoTime();
        int missedEvents = writeWhileDown();
        double downSeconds;
        long postmaster = ProcStats.postmaster(database).orElseThrow();
        double postgresBefore = ProcStats.treeCpuSeconds(postmaster);
        double ownBefore = ProcStats.cpuSeconds(ProcessHandle.current().pid());
        long[] statsBefore = databaseStats();
        long startAt = System.nanoTime();
        gateway = startGateway(mode.warmStart());
        long ready = System.nanoTime();
        Histogram liveWhileDown = live.getIntervalHistogram();
        downSeconds = (ready - down) / 1e9;
        double gatewayBefore = ProcStats.cpuSeconds(gateway.pid());
        for (ResumingClient resuming : clients) {
            resuming.catchUpTo(Map.of(
                    steady.get(resuming.account).conversationId().toString(), versions.get(steady.get(resuming.account).conversationId()),
                    missed.get(resuming.account).conversationId().toString(), versions.get(missed.get(resuming.account).conversationId())));
        }
        long deadline = ready + TimeUnit.SECONDS.toNanos(180);
        while (clients.stream().anyMatch(c -> c.caughtUpAt() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long stormEnd = System.nanoTime();
        double stormSeconds = (stormEnd - ready) / 1e9;
        double postgresCpu = ProcStats.treeCpuSeconds(postmaster) - postgresBefore;
        double gatewayCpu = ProcStats.cpuSeconds(gateway.pid()) - gatewayBefore;
        double ownCpu = ProcStats.cpuSeconds(ProcessHandle.current().pid()) - ownBefore;
        long[] statsAfter = databaseStats();
        Thread.sleep(2_000);
        Histogram liveDuringStorm = live.getIntervalHistogram();

        long notCaughtUp = clients.stream().filter(c -> c.caughtUpAt() == 0).count();
        if (notCaughtUp > 0) {
            System.out.printf("%d clients had not caught up after 180 s%n", notCaughtUp);
        }
        long lastCaughtUp = clients.stream().mapToLong(ResumingClient::caughtUpAt).max().orElse(ready);
        long lastResubscribed = clients.stream().mapToLong(ResumingClient::resubscribedAt).max().orElse(ready);
        long lastAuthenticated = clients.stream().mapToLong(ResumingClient::resubscribeSentAt).max().orElse(ready);
        Histogram subscribing = new Histogram(3);
        Histogram catchUp = new Histogram(3);
        int resumed = 0;
        for (ResumingClient resuming : clients) {
            if (resuming.resubscribedAt() > 0 && resuming.resubscribeSentAt() > 0) {
                subscribing.recordValue(Math.max(0, resuming.resubscribedAt() - resuming.resubscribeSentAt()) / 1_000);
            }
            if (resuming.resubscribedAt() > 0 && resuming.caughtUpAt() > 0) {
                catchUp.recordValue(Math.max(0, resuming.caughtUpAt() - resuming.resubscribedAt()) / 1_000);
                resumed++;
            }
        }
        Map<String, Double> meters = gatewayMeters();
        Round round = new Round(mode, downSeconds, missedEvents, (ready - startAt) / 1e9, (lastCaughtUp - ready) / 1e9,
                (lastResubscribed - ready) / 1e9, (lastAuthenticated - ready) / 1e9, subscribing, catchUp, resumed, liveWhileDown,
                liveDuringStorm, clients.stream().mapToLong(ResumingClient::lost).sum(), clients.stream().mapToLong(ResumingClient::duplicates).sum(),
                clients.stream().mapToLong(ResumingClient::resets).sum(), meters, postgresCpu, gatewayCpu, ownCpu, stormSeconds,
                statsAfter[0] - statsBefore[0], statsAfter[1] - statsBefore[1]);
        System.out.printf(Locale.ROOT, "%s: down %.1f s (%d events committed meanwhile), new A ready after %.1f s; last client caught up %.1f s after ready (last resubscribe sent %.1f s, acknowledged %.1f s after ready); "
                        + "resubscribe → subscribed p50 %.0f p99 %.0f max %.0f ms; "
                        + "resubscribe → caught up p50 %.0f p99 %.0f max %.0f ms (%d clients); lost %d, duplicates %d, resets %d; "
                        + "B live p50 %.1f p99 %.1f max %.1f ms (while A was down: p99 %.1f ms); during the storm PostgreSQL %.1f s CPU, gateway %.1f s, harness %.1f s; "
                        + "%d transactions, %d event-log rows read; gateway meters %s; storm started %.1f s before A was ready%n",
                mode.name(), downSeconds, missedEvents, round.startSeconds(), round.lastCaughtUpSeconds(), round.lastAuthenticatedSeconds(),
                round.lastResubscribedSeconds(), subscribing.getValueAtPercentile(50) / 1000.0, subscribing.getValueAtPercentile(99) / 1000.0,
                subscribing.getMaxValue() / 1000.0, catchUp.getValueAtPercentile(50) / 1000.0,
                catchUp.getValueAtPercentile(99) / 1000.0, catchUp.getMaxValue() / 1000.0, resumed, round.lost(), round.duplicates(), round.resets(),
                liveDuringStorm.getValueAtPercentile(50) / 1000.0, liveDuringStorm.getValueAtPercentile(99) / 1000.0, liveDuringStorm.getMaxValue() / 1000.0,
                liveWhileDown.getValueAtPercentile(99) / 1000.0, postgresCpu, gatewayCpu, ownCpu, round.transactions(), round.rowsRead(), meters, (ready - stormStart) / 1e9);
        return round;
    }

    /** Events at a fixed rate round-robin over the accounts' steady conversations, one transaction each. */
    private void writeSteadily(AtomicBoolean writing, Map<String, Long> commits) {
        try (Connection connection = database.connect(); EventLogNotifier notifier = new EventLogNotifier(database::connect, EventLogNotifier.DEFAULT_CHANNEL)) {
            connection.setAutoCommit(false);
            EventLogWriter writer = new EventLogWriter();
            long interval = 1_000_000_000L / eventsPerSecond;
            long next = System.nanoTime();
            int written = 0;
            while (writing.get()) {
                GatewayBenchmark.Account account = steady.get(written++ % steady.size());
                long version = versions.get(account.conversationId()) + 1;
                writer.begin(connection, account.conversationId());
                writer.append(connection, List.of(GatewayBenchmark.update(account, version)));
                connection.commit();
                versions.put(account.conversationId(), version);
                commits.put(account.conversationId() + "/" + version, System.nanoTime());
                notifier.signal();
                next += interval;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    TimeUnit.NANOSECONDS.sleep(sleep);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the steady writer failed", e);
        }
    }

    /** While A is down: {@code missedPerAccount} changes of every account's second conversation, one per account per transaction. */
    private int writeWhileDown() throws Exception {
        int written = 0;
        try (Connection connection = database.connect(); EventLogNotifier notifier = new EventLogNotifier(database::connect, EventLogNotifier.DEFAULT_CHANNEL)) {
            connection.setAutoCommit(false);
            EventLogWriter writer = new EventLogWriter();
            UUID[] ids = missed.stream().map(GatewayBenchmark.Account::conversationId).toArray(UUID[]::new);
            for (int i = 0; i < missedPerAccount; i++) {
                List<EventEnvelope> events = new ArrayList<>();
                for (GatewayBenchmark.Account account : missed) {
                    events.add(GatewayBenchmark.update(account, versions.get(account.conversationId()) + 1));
                }
                writer.begin(connection, ids);
                writer.append(connection, events);
                connection.commit();
                for (GatewayBenchmark.Account account : missed) {
                    versions.merge(account.conversationId(), 1L, Long::sum);
                }
                written += events.size();
                notifier.signal();
            }
        }
        return written;
    }

    /** Transactions committed in the benchmark's database so far, and rows of the event log read (sequential scans and index fetches). */
    private long[] databaseStats() throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet row = statement.executeQuery("""
                    SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()),
                           (SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables
                             WHERE schemaname = 'event_log' AND relname = 'events')""")) {
                row.next();
                return new long[] {row.getLong(1), row.getLong(2)};
            }
        }
    }

    private static final Pattern METER = Pattern.compile("^(switchboard_gateway_(?:resumes_total|replay_reads_total|replayed_events_total|resets_total)\\{[^}]*\\}) (\\S+)$");

    private Map<String, Double> gatewayMeters() throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> meters = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            Matcher matcher = METER.matcher(line);
            if (matcher.matches() && Double.parseDouble(matcher.group(2)) > 0) {
                meters.put(matcher.group(1).replace("switchboard_gateway_", ""), Double.parseDouble(matcher.group(2)));
            }
        }
        return meters;
    }

    private void report(List<Round> rounds, long missingAtEnd, long stillClosed) {
        StringBuilder table = new StringBuilder("""
                | round | A down (events committed meanwhile) | new A ready in | last client caught up, after ready | last resubscribe sent / acknowledged, after ready | resubscribe → `subscribed` p50 / p99 / max | `subscribed` → caught up p50 / p99 / max | lost / duplicates / resets | B live p50 / p99 / max during the catch-up (p99 while A was down) | during the catch-up: PostgreSQL CPU, transactions, event-log rows read | gateway A: resumes, database reads for replays |
                |---|---|---|---|---|---|---|---|---|---|---|
                """);
        for (Round r : rounds) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f s (%,d) | %.1f s | **%.1f s** | %.1f s / %.1f s | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms (%,d clients) | %d / %d / %d | %.1f / %.1f / %.1f ms (%.1f ms) | %.2f s, %,d, %,d (%.1f s; gateway %.1f s CPU, harness %.1f s) | %s |%n",
                    describe(r.mode()), r.downSeconds(), r.missedEvents(), r.startSeconds(), r.lastCaughtUpSeconds(), r.lastAuthenticatedSeconds(), r.lastResubscribedSeconds(),
                    r.subscribing().getValueAtPercentile(50) / 1000.0, r.subscribing().getValueAtPercentile(99) / 1000.0, r.subscribing().getMaxValue() / 1000.0,
                    r.catchUp().getValueAtPercentile(50) / 1000.0, r.catchUp().getValueAtPercentile(99) / 1000.0, r.catchUp().getMaxValue() / 1000.0, r.resumed(),
                    r.lost(), r.duplicates(), r.resets(), r.live().getValueAtPercentile(50) / 1000.0, r.live().getValueAtPercentile(99) / 1000.0,
                    r.live().getMaxValue() / 1000.0, r.liveWhileDown().getValueAtPercentile(99) / 1000.0, r.postgresCpuSeconds(), r.transactions(), r.rowsRead(), r.stormSeconds(), r.gatewayCpuSeconds(), r.ownCpuSeconds(),
                    meters(r.gatewayMeters())));
        }
        String markdown = String.format(Locale.ROOT, """
                ### Latest run

                %s
                After the last round, against the log: %d versions missing over all clients, %d clients not connected.
                Targets: every client caught up within 10 s of the new A being ready, 0 lost, B's live p99 ≤ 50 ms.

                %,d resuming clients on A (%d per account, %,d accounts, each subscribed to `conversations`), %,d undisturbed
                clients on B (one per account); %d events/s (one transaction each) throughout; while A is down, %d changes of
                a second conversation per account (one event per account per transaction). Clients reconnect as the client
                library does (full-jitter backoff up to 30 s, or the `reconnect` frame's advice) and resubscribe with
                `since` = the cursor of their last frame. Everything shares one machine: %s.
                """, table, missingAtEnd, stillClosed, connections, perAccount, accountCount, accountCount, eventsPerSecond, missedPerAccount,
                BenchmarkReport.machine());
        System.out.println("wrote " + BenchmarkReport.write("restart-storm", markdown));
    }

    private static String describe(Mode mode) {
        return (mode.kill() ? "`kill -9`" : "SIGTERM (drain)") + (mode.warmStart() ? ", warm start" : ", `GATEWAY_LOG_WARM_START=false`");
    }

    private static String meters(Map<String, Double> meters) {
        StringBuilder text = new StringBuilder();
        meters.forEach((name, value) -> text.append(text.isEmpty() ? "" : "; ").append(name.replace("\"", "")).append(' ').append(String.format(Locale.ROOT, "%,.0f", value)));
        return text.toString();
    }
}
