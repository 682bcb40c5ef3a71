package io.switchboard.metrics.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The documents the REST API returns and the gateway pushes (docs/metrics.md defines every figure). */
public final class Reports {

    private Reports() {
    }

    /** The range a report covers, in the time zone its days and hours are counted in. */
    public record RangeView(String name, OffsetDateTime from, OffsetDateTime to, String timeZone) {

        public static RangeView of(TimeRange range) {
            return new RangeView(range.name(), range.from().atZone(range.zone()).toOffsetDateTime(),
                    range.to().atZone(range.zone()).toOffsetDateTime(), range.zone().getId());
        }
    }

    public record RatingShare(int rating, long count, BigDecimal share) {
    }

    public record CsatFigures(long ratings, BigDecimal averageRating, BigDecimal satisfactionScore,
            List<RatingShare> distribution, long resolvedConversations, BigDecimal responseRate) {
    }

    public record CsatReport(RangeView range, CsatFigures current, RangeView previousRange, CsatFigures previous,
            String position) {
    }

    public record HourCount(OffsetDateTime hour, long messages) {
    }

    public record MessageReport(RangeView range, long total, long incoming, long outgoing, Map<String, Long> byType,
            Map<String, Long> byStatus, List<HourCount> perHour, HourCount peakHour, String position) {
    }

    public record QueueFigures(int depth, int waiting, BigDecimal averageWaitSeconds, BigDecimal longestWaitSeconds,
            Instant computedAt, String position) {
    }

    public record AgentPerformance(UUID agentId, String name, String status, long handled, long resolved,
            BigDecimal averageFirstResponseSeconds, BigDecimal averageResolutionSeconds, long ratings,
            BigDecimal satisfactionScore) {
    }

    public record AgentReport(RangeView range, List<AgentPerformance> agents, String position) {
    }

    public record TeamPerformance(UUID teamId, long handled, long resolved, BigDecimal averageFirstResponseSeconds,
            BigDecimal averageResolutionSeconds) {
    }

    public record TeamReport(RangeView range, List<TeamPerformance> teams, String position) {
    }

    public record Overview(long activeConversations, int waiting, long resolvedToday, long onlineAgents,
            String position) {
    }

    /** Everything a live dashboard shows, for today in the account's time zone: what the gateway pushes. */
    public record Dashboard(UUID accountId, Overview overview, QueueFigures queue, CsatReport csat,
            MessageReport messages, AgentReport agents, String position) {
    }

    /** Where folding stands, for operators and tests. */
    public record FoldStatus(String position, String logHead, long foldedEvents, Instant updatedAt, boolean leader,
            String halted) {
    }
}
