package io.switchboard.conversations.events;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.switchboard.conversations.config.ConversationsConfig;
import io.switchboard.eventlog.EventLogNotifier;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.EventLogRetention;
import io.switchboard.eventlog.EventLogWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The shared event-log library, wired to this service's datasources and settings. */
@ApplicationScoped
public class EventLogBeans {

    /** Notifications and retention run outside request transactions, on the small "eventlog" pool. */
    static final String EVENT_LOG_DATASOURCE = "eventlog";

    @Produces
    @Singleton
    EventLogWriter writer() {
        return new EventLogWriter();
    }

    @Produces
    @Singleton
    EventLogReader reader() {
        return new EventLogReader();
    }

    @Produces
    @Singleton
    EventLogRetention retention() {
        return new EventLogRetention();
    }

    @Produces
    @Singleton
    EventLogNotifier notifier(@DataSource(EVENT_LOG_DATASOURCE) AgroalDataSource dataSource, ConversationsConfig config) {
        return new EventLogNotifier(dataSource::getConnection, config.eventLog().channel());
    }

    void closeNotifier(@Disposes EventLogNotifier notifier) {
        notifier.close();
    }
}
