package io.switchboard.gateway;

import io.switchboard.testing.ConversationsServiceResource;
import io.switchboard.testing.ServiceProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared database and conversations service, plus the packaged metrics service folding every 200 ms
 * (the metrics topic), in one resource so they start in order.
 */
public class MetricsServiceResource extends ConversationsServiceResource {

    private static ServiceProcess service;

    @Override
    public synchronized Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        if (service == null) {
            Map<String, String> environment = ServiceProcess.testEnvironment();
            environment.put("METRICS_FOLD_INTERVAL", "200ms");
            service = ServiceProcess.start("metrics-service", environment, List.of("-Xmx256m"));
        }
        config.put("quarkus.rest-client.metrics.url", service.baseUrl());
        return config;
    }
}
