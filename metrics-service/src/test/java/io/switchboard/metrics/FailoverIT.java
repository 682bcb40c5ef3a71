package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import io.switchboard.testing.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged replicas on one database, the way a Deployment runs them: exactly one folds; the leader is
 * killed in the middle of a stream of events and later comes back; the new leader is then stopped gracefully.
 * After each takeover every figure still equals the brute-force computation: nothing lost, nothing counted twice.
 */
class FailoverIT {

    private static final Duration TAKEOVER = Duration.ofSeconds(20);

    private ServiceProcess first;
    private ServiceProcess second;

    @AfterEach
    void stop() {
        List.of(first, second).forEach(ServiceProcess::close);
    }

    @Test
    void oneReplicaFoldsAndAStandbyTakesOverWithoutLosingOrDoubleCountingEvents() throws Exception {
        Workload workload = new Workload(4242L);
        first = startReplica();
        second = startReplica();
        workload.phase(Duration.ofDays(-3), 120);
        ServiceProcess leader = awaitSoleLeader();
        new MetricsApi(leader.baseUrl()).awaitFolded();

        // kill -9 the leader while events stream in and it folds them
        long foldedBefore = status(leader).getLong("foldedEvents");
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> workload.phase(Duration.ofDays(-1), 250));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(leader).getLong("foldedEvents") > foldedBefore + 40);
        leader.kill();
        ServiceProcess survivor = leader == first ? second : first;
        await().atMost(TAKEOVER).until(() -> status(survivor).getBoolean("leader"));
        ServiceProcess restarted = startReplica();
        if (leader == first) {
            first = restarted;
        } else {
            second = restarted;
        }
        stream.get(5, TimeUnit.MINUTES);
        assertThat(awaitSoleLeader()).isSameAs(survivor);
        MetricsApi api = new MetricsApi(survivor.baseUrl());
        api.awaitFolded();
        ExactnessTest.assertEverything(api, workload);

        // a graceful stop (SIGTERM, as in a rolling deploy) hands over to the restarted replica
        survivor.close();
        await().atMost(TAKEOVER).until(() -> status(restarted).getBoolean("leader"));
        workload.phase(Duration.ZERO, 80);
        MetricsApi restartedApi = new MetricsApi(restarted.baseUrl());
        restartedApi.awaitFolded();
        ExactnessTest.assertEverything(restartedApi, workload);
    }

    /** Waits until exactly one live replica says it leads (the other must say it stands by) and returns it. */
    private ServiceProcess awaitSoleLeader() {
        await().atMost(TAKEOVER).until(() -> status(first).getBoolean("leader") != status(second).getBoolean("leader"));
        return status(first).getBoolean("leader") ? first : second;
    }

    private static JsonPath status(ServiceProcess replica) {
        return new MetricsApi(replica.baseUrl()).status();
    }

    private static ServiceProcess startReplica() {
        Map<String, String> environment = ServiceProcess.testEnvironment();
        environment.put("METRICS_FOLD_INTERVAL", "200ms");
        environment.put("METRICS_QUEUE_INTERVAL", "1s");
        return ServiceProcess.start("metrics-service", environment, List.of("-Xmx256m"));
    }
}
