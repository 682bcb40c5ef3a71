package io.switchboard.gateway.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.gateway.client.MetricsApi;
import io.switchboard.gateway.presence.ServiceCredentials;
import io.switchboard.gateway.protocol.ErrorCode;
import io.switchboard.gateway.protocol.Frames;
import io.switchboard.gateway.session.Access;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.signals.SignalBus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The {@code metrics} topic. The metrics service NOTIFYs the accounts whose figures changed; for each such
 * account that has subscribers here, the gateway fetches the dashboard once and sends it to all of them.
 * While a fetch is in flight further notifications only mark the account dirty, and one more fetch follows:
 * the latest figures win, and the metrics service sees at most two requests per account however many
 * updates pile up and however many dashboards watch.
 */
@ApplicationScoped
public class MetricsRelay {

    private static final Logger LOG = Logger.getLogger(MetricsRelay.class);

    /** Subscribers of one account, the latest dashboard sent to them, and the fetch state. */
    private static final class Feed {
        final Map<ClientSession, Set<String>> subscribers = new ConcurrentHashMap<>();
        volatile JsonNode latest;
        boolean fetching;
        boolean dirty;
    }

    @Inject
    @RestClient
    MetricsApi api;

    @Inject
    ServiceCredentials credentials;

    @Inject
    SignalBus bus;

    private final Map<UUID, Feed> feeds = new ConcurrentHashMap<>();

    void start(@Observes StartupEvent startup) {
        bus.onMetricsChanged(this::changed);
    }

    /** Supervisors and admins only: the dashboard shows the whole account. */
    public void subscribe(ClientSession session, String id, String ref) {
        if (!Access.seesMetrics(session.principal(), session.principal().accountId())) {
            session.send(Frames.error(ErrorCode.FORBIDDEN, "only supervisors and admins subscribe to metrics", ref), Frames.ERROR);
            return;
        }
        Optional<String> bearer = credentials.bearer();
        if (bearer.isEmpty()) {
            session.send(Frames.error(ErrorCode.UNAVAILABLE, "this gateway has no service token to read metrics with", ref), Frames.ERROR);
            return;
        }
        UUID account = session.principal().accountId();
        Feed feed = feeds.computeIfAbsent(account, a -> new Feed());
        feed.subscribers.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet()).add(id);
        session.send(Frames.subscribed(id, "metrics", null), Frames.SUBSCRIBED);
        JsonNode latest = feed.latest;
        if (latest != null && Access.seesMetrics(session.principal(), account)) {
            session.send(Frames.metrics(id, latest), Frames.METRICS);
        } else {
            refresh(account, feed);
        }
    }

    /** True when {@code id} was a metrics subscription of the session (and is now gone). */
    public boolean unsubscribe(ClientSession session, String id) {
        Feed feed = feeds.get(session.principal() == null ? null : session.principal().accountId());
        Set<String> ids = feed == null ? null : feed.subscribers.get(session);
        if (ids == null || !ids.remove(id)) {
            return false;
        }
        if (ids.isEmpty()) {
            feed.subscribers.remove(session);
        }
        session.send(Frames.unsubscribed(id, "client"), Frames.UNSUBSCRIBED);
        return true;
    }

    public void closed(ClientSession session) {
        if (session.principal() != null) {
            Feed feed = feeds.get(session.principal().accountId());
            if (feed != null) {
                feed.subscribers.remove(session);
            }
        }
    }

    private void changed(String payload) {
        for (String id : payload.split(",")) {
            try {
                UUID account = UUID.fromString(id.trim());
                Feed feed = feeds.get(account);
                if (feed != null && !feed.subscribers.isEmpty()) {
                    refresh(account, feed);
                }
            } catch (IllegalArgumentException e) {
                LOG.debugf("ignoring a malformed metrics notification: %s", payload);
            }
        }
    }

    private void refresh(UUID account, Feed feed) {
        synchronized (feed) {
            if (feed.fetching) {
                feed.dirty = true;
                return;
            }
            feed.fetching = true;
        }
        Optional<String> bearer = credentials.bearer();
        if (bearer.isEmpty()) {
            finished(account, feed);
            return;
        }
        api.dashboard(bearer.get(), account).subscribe().with(dashboard -> {
            feed.latest = dashboard;
            feed.subscribers.forEach((session, ids) -> {
                if (Access.seesMetrics(session.principal(), account)) {
                    ids.forEach(id -> session.send(Frames.metrics(id, dashboard), Frames.METRICS));
                }
            });
            finished(account, feed);
        }, failure -> {
            LOG.warnf("metrics of account %s could not be fetched: %s", account, failure.getMessage());
            finished(account, feed);
        });
    }

    private void finished(UUID account, Feed feed) {
        boolean again;
        synchronized (feed) {
            feed.fetching = false;
            again = feed.dirty && !feed.subscribers.isEmpty();
            feed.dirty = false;
        }
        if (again) {
            refresh(account, feed);
        }
    }
}
