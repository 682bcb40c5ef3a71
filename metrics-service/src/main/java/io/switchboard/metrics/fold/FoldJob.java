package io.switchboard.metrics.fold;

import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** The schedule: the leader folds every {@code metrics.fold.interval} and refreshes queues every {@code metrics.queue.interval}. */
@ApplicationScoped
public class FoldJob {

    private static final Logger LOG = Logger.getLogger(FoldJob.class);

    @Inject
    Leadership leadership;

    @Inject
    Folder folder;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MetricsConfig config;

    @Inject
    Tracer tracer;

    @Scheduled(identity = "metrics-fold", every = "${metrics.fold.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void fold() {
        if (!leadership.lead()) {
            folder.notLeading();
            return;
        }
        FoldTrace trace = new FoldTrace(tracer);
        long deadline = System.nanoTime() + config.fold().maxTickDuration().toNanos();
        try {
            Folder.Step step;
            do {
                step = folder.step();
                folder.lagAfter(step, Instant.now());
                trace.add(step);
            } while (step.more() && System.nanoTime() < deadline);
            trace.end(null);
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "fold tick failed; the next tick retries from the saved position");
            trace.end(e);
        }
    }

    /** Wait times grow while nothing happens: recompute the queues that have someone waiting, and push them. */
    @Scheduled(identity = "metrics-queue", every = "${metrics.queue.interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void queues() {
        if (!leadership.lead()) {
            return;
        }
        try {
            Transactions.run(dataSource, connection -> {
                List<UUID> accounts = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT account_id FROM metrics.queue_snapshots WHERE waiting > 0");
                        ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        accounts.add(rows.getObject(1, UUID.class));
                    }
                }
                RollupStore.refreshQueues(connection, accounts, Instant.now());
                ChangeNotifier.notify(connection, config.push().channel(), accounts);
                return accounts.size();
            });
        } catch (SQLException | RuntimeException e) {
            LOG.errorf(e, "queue tick failed");
        }
    }
}
