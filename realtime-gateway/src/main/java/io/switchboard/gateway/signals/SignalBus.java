package io.switchboard.gateway.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Ephemeral signals between gateway instances (typing, presence) over PostgreSQL NOTIFY on the channel
 * {@value #CHANNEL}: not stored, at most once. Every instance, the sender included, receives each signal
 * from the database, so local and remote delivery take the same path.
 */
@ApplicationScoped
public class SignalBus {

    public static final String CHANNEL = "gateway_signals";
    private static final Logger LOG = Logger.getLogger(SignalBus.class);
    private static final int MAX_PAYLOAD = 7_900;

    @Inject
    AgroalDataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();
    @Inject
    GatewayConfig config;

    private final List<Consumer<JsonNode>> handlers = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> metricsHandlers = new CopyOnWriteArrayList<>();
    private final ExecutorService publisher = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("signal-publisher").daemon().factory());
    private Thread listener;
    private volatile boolean stopped;
    private volatile Connection listenConnection;

    public void onSignal(Consumer<JsonNode> handler) {
        handlers.add(handler);
    }

    /** Notifications of the metrics service (comma-separated account ids) arrive on the same listening connection. */
    public void onMetricsChanged(Consumer<String> handler) {
        metricsHandlers.add(handler);
    }

    /** Sends a signal to every instance; never blocks the caller. */
    public void publish(ObjectNode signal) {
        String payload = signal.toString();
        if (payload.length() > MAX_PAYLOAD) {
            LOG.warnf("signal of %d characters dropped (NOTIFY payloads are limited)", payload.length());
            return;
        }
        publisher.execute(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, payload);
                notify.execute();
            } catch (SQLException e) {
                LOG.warnf("signal not sent: %s", e.getMessage());
            }
        });
    }

    public ObjectNode newSignal(String type) {
        return json.createObjectNode().put("t", type);
    }

    void start(@Observes StartupEvent startup) {
        listener = Thread.ofPlatform().name("signal-listener").daemon().start(this::listen);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        closeQuietly(listenConnection);
        publisher.shutdown();
    }

    private void listen() {
        while (!stopped) {
            try (Connection connection = dataSource.getConnection()) {
                listenConnection = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                    statement.execute("LISTEN " + quoted(config.metrics().channel()));
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        if (CHANNEL.equals(notification.getName())) {
                            dispatch(notification.getParameter());
                        } else {
                            metricsHandlers.forEach(handler -> handler.accept(notification.getParameter()));
                        }
                    }
                }
            } catch (SQLException e) {
                if (!stopped) {
                    LOG.warnf("signal listener lost its connection, reconnecting: %s", e.getMessage());
                    sleep(500);
                }
            }
        }
    }

    private void dispatch(String payload) {
        JsonNode signal;
        try {
            signal = json.readTree(payload);
        } catch (Exception e) {
            LOG.debugf("ignoring a malformed signal: %s", payload);
            return;
        }
        for (Consumer<JsonNode> handler : handlers) {
            try {
                handler.accept(signal);
            } catch (RuntimeException e) {
                LOG.warn("signal handler failed", e);
            }
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
