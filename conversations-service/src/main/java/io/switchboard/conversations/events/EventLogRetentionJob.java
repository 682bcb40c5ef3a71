package io.switchboard.conversations.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.conversations.config.ConversationsConfig;
import io.switchboard.eventlog.EventLogRetention;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Deletes events older than the retention period (default 7 days), oldest first, in batches. */
@ApplicationScoped
public class EventLogRetentionJob {

    private static final Logger LOG = Logger.getLogger(EventLogRetentionJob.class);

    @Inject
    @DataSource(EventLogBeans.EVENT_LOG_DATASOURCE)
    AgroalDataSource dataSource;

    @Inject
    EventLogRetention retention;

    @Inject
    ConversationsConfig config;

    @Scheduled(identity = "event-log-retention", every = "${conversations.event-log.prune-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void prune() throws SQLException {
        Instant cutoff = Instant.now().minus(config.eventLog().retention());
        int batch = config.eventLog().pruneBatchSize();
        long total = 0;
        try (Connection connection = dataSource.getConnection()) {
            EventLogRetention.PruneResult result;
            do {
                result = retention.pruneBatch(connection, cutoff, batch, config.eventLog().channel());
                total += result.deleted();
            } while (result.deleted() == batch);
            if (total > 0) {
                LOG.infof("event log: pruned %d events recorded before %s; cursors at or before %s are now expired",
                        total, cutoff, result.watermark());
            }
        }
    }
}
