package io.switchboard.metrics.service;

import io.agroal.api.AgroalDataSource;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.EventLogReader;
import io.switchboard.eventlog.ReadResult;
import io.switchboard.metrics.domain.Reports.AgentReport;
import io.switchboard.metrics.domain.Reports.CsatReport;
import io.switchboard.metrics.domain.Reports.Dashboard;
import io.switchboard.metrics.domain.Reports.FoldStatus;
import io.switchboard.metrics.domain.Reports.HourCount;
import io.switchboard.metrics.domain.Reports.MessageReport;
import io.switchboard.metrics.domain.Reports.Overview;
import io.switchboard.metrics.domain.Reports.QueueFigures;
import io.switchboard.metrics.domain.Reports.RangeView;
import io.switchboard.metrics.domain.Reports.TeamReport;
import io.switchboard.metrics.domain.TimeRange;
import io.switchboard.metrics.fold.FoldPosition;
import io.switchboard.metrics.fold.Folder;
import io.switchboard.metrics.fold.Leadership;
import io.switchboard.metrics.fold.Transactions;
import io.switchboard.metrics.rest.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.UUID;

/**
 * The figures of one account. Each report is read in one repeatable-read snapshot, so its figures and the
 * fold position it names ({@code position}) belong together.
 */
@ApplicationScoped
public class MetricsService {

    /** The range parameters of a request, before they are resolved in the account's time zone. */
    public record RangeQuery(String range, String from, String to, String timeZone) {

        public static final RangeQuery TODAY = new RangeQuery("today", null, null, null);
    }

    @FunctionalInterface
    private interface Read<T> {
        T read(Connection connection, TimeRange range, String position) throws SQLException;
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Folder folder;

    @Inject
    Leadership leadership;

    private final EventLogReader logReader = new EventLogReader();

    public CsatReport csat(UUID account, RangeQuery query, Filters filters) throws SQLException {
        return snapshot(account, query, (c, range, position) -> csat(c, account, range, filters, position));
    }

    public MessageReport messages(UUID account, RangeQuery query, Filters filters) throws SQLException {
        return snapshot(account, query, (c, range, position) -> messages(c, account, range, filters, position));
    }

    public AgentReport agents(UUID account, RangeQuery query, Filters filters) throws SQLException {
        return snapshot(account, query, (c, range, position) ->
                new AgentReport(RangeView.of(range), MetricsQueries.agents(c, account, range, filters), position));
    }

    public TeamReport teams(UUID account, RangeQuery query, Filters filters) throws SQLException {
        return snapshot(account, query, (c, range, position) ->
                new TeamReport(RangeView.of(range), MetricsQueries.teams(c, account, range, filters), position));
    }

    public QueueFigures queue(UUID account) throws SQLException {
        return snapshot(account, RangeQuery.TODAY, (c, today, position) -> MetricsQueries.queue(c, account, position));
    }

    public Overview overview(UUID account, String timeZone) throws SQLException {
        return snapshot(account, new RangeQuery("today", null, null, timeZone),
                (c, today, position) -> MetricsQueries.overview(c, account, today, position));
    }

    /** Today's dashboard in the account's time zone: what the gateway pushes to {@code metrics} subscribers. */
    public Dashboard dashboard(UUID account) throws SQLException {
        return snapshot(account, RangeQuery.TODAY, (c, today, position) -> new Dashboard(account,
                MetricsQueries.overview(c, account, today, position), MetricsQueries.queue(c, account, position),
                csat(c, account, today, Filters.NONE, position), messages(c, account, today, Filters.NONE, position),
                new AgentReport(RangeView.of(today), MetricsQueries.agents(c, account, today, Filters.NONE), position),
                position));
    }

    public FoldStatus status() throws SQLException {
        return Transactions.run(dataSource, c -> {
            FoldPosition position = FoldPosition.read(c);
            EventCursor head = logReader.head(c);
            return new FoldStatus(position.cursor().encode(), head.encode(), position.foldedEvents(), position.updatedAt(),
                    leadership.isLeader(), folder.halted());
        });
    }

    /**
     * Empties the rollups and folds the log again from its beginning. When retention has already removed the
     * beginning, the rebuilt figures would miss that history: refused unless {@code partialHistory}, which
     * rebuilds from the oldest retained event.
     */
    public FoldStatus rebuild(boolean partialHistory) throws SQLException {
        Transactions.run(dataSource, c -> {
            EventCursor start = EventCursor.ORIGIN;
            if (logReader.readAfter(c, EventCursor.ORIGIN, 1) instanceof ReadResult.CursorExpired expired) {
                if (!partialHistory) {
                    throw ProblemException.conflict("history-pruned", "the log's retention has removed events up to "
                            + expired.oldestAvailable().encode() + "; rebuild with partialHistory=true to fold only what remains");
                }
                start = expired.oldestAvailable();
            }
            FoldPosition.reset(c, start);
            return start;
        });
        folder.resume();
        return status();
    }

    private CsatReport csat(Connection c, UUID account, TimeRange range, Filters filters, String position) throws SQLException {
        TimeRange previous = range.previous();
        return new CsatReport(RangeView.of(range), MetricsQueries.csat(c, account, range, filters), RangeView.of(previous),
                MetricsQueries.csat(c, account, previous, filters), position);
    }

    private MessageReport messages(Connection c, UUID account, TimeRange range, Filters filters, String position)
            throws SQLException {
        MetricsQueries.MessageTotals totals = MetricsQueries.messageTotals(c, account, range, filters);
        var perHour = MetricsQueries.perHour(c, account, range, filters);
        HourCount peak = perHour.stream().filter(h -> h.messages() > 0)
                .max(Comparator.comparingLong(HourCount::messages).thenComparing(HourCount::hour, Comparator.reverseOrder()))
                .orElse(null);
        long[] directions = totals.directions();
        return new MessageReport(RangeView.of(range), directions[0], directions[1], directions[2], totals.byType(),
                totals.byStatus(), perHour, peak, position);
    }

    private <T> T snapshot(UUID account, RangeQuery query, Read<T> read) throws SQLException {
        return Transactions.readSnapshot(dataSource, connection -> {
            ZoneId zone = RangeResolver.zone(query.timeZone(), MetricsQueries.accountZone(connection, account));
            TimeRange range = RangeResolver.resolve(query.range(), query.from(), query.to(), zone, Instant.now());
            String position = FoldPosition.read(connection).cursor().encode();
            return read.read(connection, range, position);
        });
    }
}
