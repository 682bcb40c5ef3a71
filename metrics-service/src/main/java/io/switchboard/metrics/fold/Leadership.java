package io.switchboard.metrics.fold;

import io.quarkus.runtime.ShutdownEvent;
import io.switchboard.metrics.config.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Elects the one replica that folds: a session-level advisory lock held on a dedicated connection. When the
 * leader dies its connection closes and PostgreSQL releases the lock, so a standby's next attempt wins.
 * The connection is opened outside the pool: closing it must really end the session (and the lock).
 * (The fold itself is also fenced on the saved position, so even two leaders could never double-count.)
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Inject
    MetricsConfig config;

    private Connection held;

    /** Whether this replica leads now; tries to become leader if it does not. */
    public synchronized boolean lead() {
        if (held != null) {
            if (alive(held)) {
                return true;
            }
            LOG.warn("lost the database connection that held leadership; standing by");
            closeQuietly();
        }
        try {
            Connection connection = DriverManager.getConnection(url, user.orElse(null), password.orElse(null));
            try (PreparedStatement attempt = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                attempt.setLong(1, config.fold().leaderLockKey());
                try (ResultSet row = attempt.executeQuery()) {
                    if (row.next() && row.getBoolean(1)) {
                        held = connection;
                        LOG.info("this replica now folds the event log (leader)");
                        return true;
                    }
                }
            }
            connection.close();
        } catch (SQLException e) {
            LOG.warnf("leader election failed: %s", e.getMessage());
        }
        return false;
    }

    public synchronized boolean isLeader() {
        return held != null;
    }

    void onShutdown(@Observes ShutdownEvent event) {
        release();
    }

    public synchronized void release() {
        if (held != null) {
            try (PreparedStatement unlock = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, config.fold().leaderLockKey());
                unlock.execute();
            } catch (SQLException e) {
                LOG.debugf("unlock on release failed (the connection closing releases it): %s", e.getMessage());
            }
            closeQuietly();
        }
    }

    private static boolean alive(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private void closeQuietly() {
        try {
            held.close();
        } catch (SQLException e) {
            LOG.debugf("closing the leadership connection: %s", e.getMessage());
        }
        held = null;
    }
}
