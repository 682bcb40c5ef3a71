package io.switchboard.conversations.health;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.switchboard.eventlog.EventLogReader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the event log answers: without it no change could be recorded. */
@Readiness
@ApplicationScoped
public class EventLogReadinessCheck implements HealthCheck {

    @Inject
    @DataSource("eventlog")
    AgroalDataSource dataSource;

    @Inject
    EventLogReader reader;

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = dataSource.getConnection()) {
            return HealthCheckResponse.named("event-log").up().withData("head", reader.head(connection).encode()).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("event-log").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
