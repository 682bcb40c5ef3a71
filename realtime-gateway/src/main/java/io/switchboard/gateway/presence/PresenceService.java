package io.switchboard.gateway.presence;

import com.fasterxml.jackson.databind.JsonNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.eventlog.AggregateLocks;
import io.switchboard.gateway.auth.Principal;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.Access;
import io.switchboard.gateway.session.Subscription;
import io.switchboard.gateway.signals.SignalBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Presence: an agent is online while it holds a connection on any live instance. Each instance records its
 * agents and heartbeats; an instance silent for the TTL is dead and its rows are swept by the others, so a
 * crash leaves no ghosts. Transitions are decided under the agent's advisory lock and numbered (seq),
 * announced to every instance's "agents" subscribers, and mirrored into the agent's status.
 */
@ApplicationScoped
public class PresenceService {

    private static final Logger LOG = Logger.getLogger(PresenceService.class);
    private static final String LIVE_ROWS = """
            SELECT count(*) FROM gateway.presence p JOIN gateway.instances i ON i.instance_id = p.instance_id
             WHERE p.agent_id = ? AND i.heartbeat_at > now() - make_interval(secs => ?)""";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GatewayConfig config;

    @Inject
    SignalBus bus;

    @Inject
    LogFollower follower;

    @Inject
    StatusSync statusSync;

    @Inject
    ServiceCredentials credentials;

    private static final String HEARTBEAT =
            "INSERT INTO gateway.instances (instance_id) VALUES (?) ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at = now()";

    private final String instanceId = UUID.randomUUID().toString();
    private final Map<UUID, Integer> localConnections = new HashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("presence").daemon().factory());

    private record Transition(UUID agentId, UUID accountId, boolean online, long seq) {
    }

    void start(@Observes StartupEvent startup) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(HEARTBEAT)) {
            // an upsert: the scheduler may already have beaten for this instance while startup was still running
            insert.setString(1, instanceId);
            insert.executeUpdate();
        }
        bus.onSignal(this::deliver);
        if (credentials.bearer().isEmpty()) {
            LOG.warn("no gateway.service-token(-file): presence is announced, but agents' status is not kept in sync");
        }
    }

    void stop(@Observes ShutdownEvent shutdown) {
        worker.execute(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement expire = connection.prepareStatement("UPDATE gateway.instances SET heartbeat_at = 'epoch' WHERE instance_id = ?")) {
                // the survivors' next sweep turns this instance's agents offline unless they reconnected elsewhere
                expire.setString(1, instanceId);
                expire.executeUpdate();
            } catch (SQLException e) {
                LOG.warnf("could not retire instance %s: %s", instanceId, e.getMessage());
            }
        });
        worker.shutdown();
    }

    public String instanceId() {
        return instanceId;
    }

    public void connected(Principal principal) {
        if (principal.isAgent() && !worker.isShutdown()) {
            worker.execute(() -> change(principal.agentId(), principal.accountId(), 1));
        }
    }

    public void disconnected(Principal principal) {
        if (principal != null && principal.isAgent() && !worker.isShutdown()) {
            worker.execute(() -> change(principal.agentId(), principal.accountId(), -1));
        }
    }

    private void change(UUID agentId, UUID accountId, int delta) {
        int before = localConnections.getOrDefault(agentId, 0);
        int after = Math.max(0, before + delta);
        if (after == 0) {
            localConnections.remove(agentId);
        } else {
            localConnections.put(agentId, after);
        }
        if ((before == 0) == (after == 0)) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            AggregateLocks.lock(connection, lockId(agentId));
            String sql = after > 0
                    ? "INSERT INTO gateway.presence (instance_id, agent_id, account_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
                    : "DELETE FROM gateway.presence WHERE instance_id = ? AND agent_id = ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, instanceId);
                statement.setObject(2, agentId);
                if (after > 0) {
                    statement.setObject(3, accountId);
                }
                statement.executeUpdate();
            }
            Optional<Transition> transition = reconcile(connection, agentId, accountId);
            connection.commit();
            transition.ifPresent(this::announce);
        } catch (SQLException e) {
            LOG.warnf("presence of agent %s not recorded: %s", agentId, e.getMessage());
        }
    }

    @Scheduled(identity = "presence-heartbeat", every = "${gateway.presence.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (!worker.isShutdown()) {
            worker.execute(this::heartbeatAndSweep);
        }
    }

    private void heartbeatAndSweep() {
        List<Transition> transitions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement beat = connection.prepareStatement(HEARTBEAT)) {
                beat.setString(1, instanceId);
                beat.executeUpdate();
            }
            connection.setAutoCommit(false);
            List<UUID[]> orphans = new ArrayList<>();
            try (PreparedStatement sweep = connection.prepareStatement("""
                    DELETE FROM gateway.presence WHERE instance_id IN (
                        SELECT instance_id FROM gateway.instances WHERE heartbeat_at <= now() - make_interval(secs => ?))
                    RETURNING agent_id, account_id""")) {
                sweep.setDouble(1, ttlSeconds());
                try (ResultSet rows = sweep.executeQuery()) {
                    while (rows.next()) {
                        orphans.add(new UUID[] {rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)});
                    }
                }
            }
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM gateway.instances WHERE heartbeat_at <= now() - make_interval(secs => ?)")) {
                forget.setDouble(1, ttlSeconds());
                forget.executeUpdate();
            }
            connection.commit();
            for (UUID[] orphan : orphans) {
                AggregateLocks.lock(connection, lockId(orphan[0]));
                reconcile(connection, orphan[0], orphan[1]).ifPresent(transitions::add);
                connection.commit();
            }
        } catch (SQLException e) {
            LOG.warnf("presence heartbeat failed: %s", e.getMessage());
        }
        transitions.forEach(this::announce);
    }

    /** Under the agent's lock: if its live presence differs from the last announced one, record the change. */
    private Optional<Transition> reconcile(Connection connection, UUID agentId, UUID accountId) throws SQLException {
        boolean online;
        try (PreparedStatement live = connection.prepareStatement(LIVE_ROWS)) {
            live.setObject(1, agentId);
            live.setDouble(2, ttlSeconds());
            try (ResultSet row = live.executeQuery()) {
                row.next();
                online = row.getLong(1) > 0;
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO gateway.agent_presence AS p (agent_id, account_id, online, seq) VALUES (?, ?, ?, 1)
                ON CONFLICT (agent_id) DO UPDATE SET online = EXCLUDED.online, seq = p.seq + 1, changed_at = now()
                    WHERE p.online <> EXCLUDED.online
                RETURNING seq""")) {
            upsert.setObject(1, agentId);
            upsert.setObject(2, accountId);
            upsert.setBoolean(3, online);
            try (ResultSet row = upsert.executeQuery()) {
                return row.next() ? Optional.of(new Transition(agentId, accountId, online, row.getLong(1))) : Optional.empty();
            }
        }
    }

    private void announce(Transition transition) {
        bus.publish(bus.newSignal("presence")
                .put("account", transition.accountId().toString())
                .put("agent", transition.agentId().toString())
                .put("online", transition.online())
                .put("seq", transition.seq())
                .put("at", Instant.now().toString()));
        credentials.bearer().ifPresent(bearer -> {
            try {
                statusSync.converge(bearer, transition.agentId(), transition.online());
            } catch (RuntimeException e) {
                LOG.warnf("status of agent %s not synced with presence: %s", transition.agentId(), e.getMessage());
            }
        });
    }

    private void deliver(JsonNode signal) {
        if (!"presence".equals(signal.path("t").asText())) {
            return;
        }
        UUID accountId = UUID.fromString(signal.path("account").asText());
        String frame = Frames.presence(signal.path("agent").asText(), signal.path("online").asBoolean(), signal.path("seq").asLong(),
                Instant.parse(signal.path("at").asText()));
        follower.router().signal(accountId, frame, Frames.PRESENCE, session -> Access.seesDirectory(session.principal(), accountId)
                && session.subscriptions().values().stream().anyMatch(s -> s instanceof Subscription.Agents && s.isLive()));
    }

    /** Presence decisions of an agent serialize on their own lock, apart from the agent's event-log lock. */
    private static UUID lockId(UUID agentId) {
        return UUID.nameUUIDFromBytes(("presence/" + agentId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private double ttlSeconds() {
        return config.presence().instanceTtl().toMillis() / 1000.0;
    }
}
