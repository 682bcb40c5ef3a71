package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.deploy.MonitoringQueries.Query;
import io.switchboard.testing.ServiceProcess;
import io.switchboard.testing.TestTokens;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The alerts and the dashboard against the metrics the services really export. Starts the three packaged
 * services with the prod overlay's environment (as {@link ManifestStartupIT} does), drives one real flow through
 * them — an account, a conversation and a message on the conversations service, that message delivered to an
 * SSE client of the gateway, a refused gateway login, a figures request to the metrics service — then scrapes
 * each {@code /q/metrics} as Prometheus does and checks every metric, label and exact label value that every
 * overlay's PrometheusRule and Grafana dashboard use ({@link MonitoringContract}). A renamed metric or label
 * fails here instead of blanking a panel or silencing an alert. The scrapes are kept in target/scrapes.
 */
class MonitoringContractIT {

    /** Conversations first: it migrates the event_log schema the other two read. */
    private static final List<String> START_ORDER = List.of("conversations-service", "metrics-service", "realtime-gateway");

    /** What Prometheus asks for (OpenMetrics first), so the test reads the format Prometheus stores. */
    private static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
            + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, ServiceProcess> SERVICES = new LinkedHashMap<>();
    private static final Map<String, PrometheusScrape> SCRAPES_BY_JOB = new LinkedHashMap<>();

    @BeforeAll
    static void startExerciseAndScrape() throws Exception {
        RenderedOverlay prod = RenderedOverlay.render("prod");
        for (String module : START_ORDER) {
            Map<String, String> environment = LocalContainerEnvironment.of(DeploymentEnvironment.of(prod, prod.deployment(module)));
            environment.putAll(localOverrides());
            SERVICES.put(module, ServiceProcess.start(module, environment, List.of("-Xmx256m")));
        }
        exercise();
        for (ScrapeTarget target : ScrapeTarget.of(prod)) {
            String module = target.service().getMetadata().getName();
            String path = target.monitor().getSpec().getEndpoints().getFirst().getPath();
            String text = scrape(SERVICES.get(module), path);
            Path kept = Path.of("target", "scrapes", module + ".txt");
            Files.createDirectories(kept.getParent());
            Files.writeString(kept, text);
            SCRAPES_BY_JOB.put(target.job(), PrometheusScrape.parse(text));
        }
    }

    /**
     * Where the test departs from the manifest: tokens come from the test issuer (the prod overlay names a
     * real identity provider), and the gateway reaches the other two services on this machine, not by their
     * cluster DNS names. The gateway's rest clients are only used by this exercise, so nothing else changes.
     */
    private static Map<String, String> localOverrides() {
        Path key = TestTokens.writePublicKey(Path.of("target", "test-keys").toAbsolutePath());
        Map<String, String> overrides = new LinkedHashMap<>(Map.of(
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER,
                "MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE,
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", key.toString()));
        if (SERVICES.containsKey("conversations-service")) {
            overrides.put("QUARKUS_REST_CLIENT_CONVERSATIONS_URL", SERVICES.get("conversations-service").baseUrl());
        }
        if (SERVICES.containsKey("metrics-service")) {
            overrides.put("QUARKUS_REST_CLIENT_METRICS_URL", SERVICES.get("metrics-service").baseUrl());
        }
        return overrides;
    }

    /** One message's way through the system, so the request, delivery and pool series exist with real labels. */
    private static void exercise() throws Exception {
        String conversations = SERVICES.get("conversations-service").baseUrl();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        JsonNode account = post(conversations + "/api/v1/accounts", TestTokens.operator(), Map.of("name", "Monitoring " + suffix,
                "timeZone", "Europe/Berlin", "admin", Map.of("name", "Ada Admin", "email", "ada-" + suffix + "@example.com")));
        UUID accountId = UUID.fromString(account.path("account").path("id").asText());
        String admin = TestTokens.agent(accountId, UUID.fromString(account.path("admin").path("id").asText()), "admin");
        String inbox = post(conversations + "/api/v1/inboxes", admin, Map.of("name", "Website", "channel", "web_widget"))
                .path("id").asText();
        String customer = TestTokens.customer(accountId, "visitor-" + suffix, "Visitor");
        String conversation = post(conversations + "/api/v1/conversations", customer,
                Map.of("inboxId", inbox, "message", Map.of("content", "hello"))).path("id").asText();

        String gateway = SERVICES.get("realtime-gateway").baseUrl();
        try (SseClient sse = SseClient.open(gateway + "/sse?subscribe=" + encode("conversation:" + conversation), customer)) {
            sse.await("subscribed");
            post(conversations + "/api/v1/conversations/" + conversation + "/messages", customer, Map.of("content", "still there?"));
            sse.await("event");
        }
        assertThat(status(HttpRequest.newBuilder(URI.create(gateway + "/sse?subscribe=queue"))
                .header("Authorization", "Bearer not-a-token"))).as("a refused gateway login").isEqualTo(401);

        String metrics = SERVICES.get("metrics-service").baseUrl();
        assertThat(status(HttpRequest.newBuilder(URI.create(metrics + "/api/v1/metrics/overview"))
                .header("Authorization", "Bearer " + admin))).as("metrics overview").isEqualTo(200);
        assertThat(status(HttpRequest.newBuilder(URI.create(conversations + "/api/v1/conversations/" + UUID.randomUUID()))
                .header("Authorization", "Bearer " + admin))).as("an unknown conversation").isEqualTo(404);
    }

    @AfterAll
    static void stop() {
        List<String> reversed = new ArrayList<>(SERVICES.keySet());
        java.util.Collections.reverse(reversed);
        reversed.forEach(module -> SERVICES.get(module).close());
    }

    @ParameterizedTest
    @FieldSource("io.switchboard.deploy.RenderedOverlay#OVERLAYS")
    void everyAlertAndPanelReadsWhatTheServicesExport(String overlay) {
        List<Query> queries = MonitoringQueries.of(RenderedOverlay.render(overlay));

        assertThat(queries).as("alerts and panels of %s", overlay).hasSizeGreaterThan(20);
        assertThat(new MonitoringContract(SCRAPES_BY_JOB).violations(queries)).as("%s: queries that read nothing", overlay).isEmpty();
    }

    @Test
    void theScrapesHoldTheExercisedSeries() {
        PrometheusScrape gateway = SCRAPES_BY_JOB.get("realtime-gateway");
        PrometheusScrape conversations = SCRAPES_BY_JOB.get("conversations-service");

        assertThat(gateway.family("switchboard_gateway_delivery_lag_seconds_bucket"))
                .isEqualTo(new PrometheusScrape.Family("switchboard_gateway_delivery_lag_seconds", "histogram"));
        assertThat(gateway.hasSeries("switchboard_gateway_frames_sent_total", Map.of("transport", "sse"))).isTrue();
        assertThat(conversations.hasSeries("http_server_requests_seconds_count", Map.of("method", "POST", "status", "201")))
                .isTrue();
        assertThat(gateway.hasSample("http_server_requests_seconds_count"))
                .as("the gateway's HTTP server binder is off (realtime-gateway application.properties)").isFalse();
    }

    /** The check can fail: a renamed metric, a renamed label and a wrong label value are each reported. */
    @Test
    void aRenamedMetricOrLabelIsReported() {
        List<Query> queries = MonitoringQueries.of(RenderedOverlay.render("prod"));
        MonitoringContract contract = new MonitoringContract(SCRAPES_BY_JOB);

        assertThat(contract.violations(renamed(queries, "switchboard_gateway_connections", "switchboard_gateway_open_connections")))
                .isNotEmpty().allSatisfy(v -> assertThat(v).contains("switchboard_gateway_open_connections"));
        assertThat(contract.violations(renamed(queries, "by (transport)", "by (transport_kind)")))
                .isNotEmpty().allSatisfy(v -> assertThat(v).contains("has no label [transport_kind]"));
        assertThat(contract.violations(renamed(queries, "/messages\"", "/message\"")))
                .singleElement().satisfies(v -> assertThat(v).contains("Message writes").contains("no series"));
        assertThat(contract.violations(renamed(queries, "switchboard_metrics_fold_lag_seconds{job=\"metrics-service\"",
                "switchboard_metrics_fold_lag_seconds{job=\"realtime-gateway\"")))
                .hasSize(2).allSatisfy(v -> assertThat(v).contains("realtime-gateway does not export switchboard_metrics_fold_lag_seconds"))
                .anySatisfy(v -> assertThat(v).startsWith("PrometheusRule switchboard alert SwitchboardMetricsFoldLagging"))
                .anySatisfy(v -> assertThat(v).contains("panel \"Fold lag\""));
    }

    private static List<Query> renamed(List<Query> queries, String from, String to) {
        List<Query> changed = queries.stream().filter(q -> q.expression().contains(from))
                .map(q -> new Query(q.origin(), q.expression().replace(from, to))).toList();
        assertThat(changed).as("queries containing %s", from).isNotEmpty();
        return changed;
    }

    private static String scrape(ServiceProcess service, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Accept", PROMETHEUS_ACCEPT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s%s", service.baseUrl(), path).isEqualTo(200);
        return response.body();
    }

    private static JsonNode post(String url, String token, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", url, response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static int status(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A server-sent-events stream read on its own thread, so waiting for an event can time out. */
    private record SseClient(InputStream body, BlockingQueue<String> events) implements AutoCloseable {

        static SseClient open(String url, String token) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            SseClient client = new SseClient(response.body(), new LinkedBlockingQueue<>());
            Thread reader = new Thread(client::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
            return client;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("event:")) {
                        events.add(line.substring("event:".length()).strip());
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        }

        void await(String event) throws InterruptedException {
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                String next = events.poll(200, TimeUnit.MILLISECONDS);
                if (event.equals(next)) {
                    return;
                }
                if (next != null) {
                    seen.add(next);
                }
            }
            throw new AssertionError("no '" + event + "' event within 15 s; saw " + seen);
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
