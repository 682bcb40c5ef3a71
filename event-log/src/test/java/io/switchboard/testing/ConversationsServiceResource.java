package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For services that consume the conversations service (gateway, metrics): the shared test database, the
 * packaged conversations service running against it as its own process, and the test token issuer.
 * Tests write through the real API ({@link #baseUrl()}), so events reach the log the way they do in production.
 */
public class ConversationsServiceResource implements QuarkusTestResourceLifecycleManager {

    private static ServiceProcess service;

    public static synchronized String baseUrl() {
        if (service == null) {
            Map<String, String> environment = ServiceProcess.testEnvironment();
            environment.put("CONVERSATIONS_SNOOZE_CHECK_INTERVAL", "1s");
            // browser tests load the console from a gateway on a random local port
            environment.put("QUARKUS_HTTP_CORS_ENABLED", "true");
            environment.put("QUARKUS_HTTP_CORS_ORIGINS", "/http://localhost:[0-9]+/");
            // traced, so a test can follow a request into the consumer under test (its spans land in the collector)
            environment.putAll(OtlpCollector.shared().exportEnvironment());
            service = ServiceProcess.start("conversations-service", environment, List.of("-Xmx512m"));
        }
        return service.baseUrl();
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(TestDatabase.shared().quarkusConfig());
        config.put("quarkus.rest-client.conversations.url", baseUrl());
        config.put("gateway.service-token", TestTokens.service());
        config.put("mp.jwt.verify.publickey", TestTokens.publicKeyPem());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", TestTokens.AUDIENCE);
        return config;
    }

    @Override
    public void stop() {
        // the process outlives one application start and stops with the JVM (ServiceProcess shutdown hook)
    }
}
