package io.switchboard.metrics.rest;

import io.switchboard.metrics.domain.Reports.AgentReport;
import io.switchboard.metrics.domain.Reports.CsatReport;
import io.switchboard.metrics.domain.Reports.Dashboard;
import io.switchboard.metrics.domain.Reports.FoldStatus;
import io.switchboard.metrics.domain.Reports.MessageReport;
import io.switchboard.metrics.domain.Reports.Overview;
import io.switchboard.metrics.domain.Reports.QueueFigures;
import io.switchboard.metrics.domain.Reports.TeamReport;
import io.switchboard.metrics.rest.problem.ProblemException;
import io.switchboard.metrics.security.Caller;
import io.switchboard.metrics.security.CurrentCaller;
import io.switchboard.metrics.service.Filters;
import io.switchboard.metrics.service.MetricsService;
import io.switchboard.metrics.service.MetricsService.RangeQuery;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * Figures of one account (docs/metrics.md). Ranges: {@code range=today|yesterday|last7d|last30d|custom}
 * ({@code custom} with {@code from}/{@code to}), counted in {@code timeZone} (default: the account's).
 */
@Path("/api/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@SecurityRequirement(name = "jwt")
public class MetricsResource {

    @Inject
    CurrentCaller callers;

    @Inject
    MetricsService metrics;

    @GET
    @Path("/csat")
    @Operation(summary = "CSAT: average, satisfaction score, distribution, response rate, and the previous period")
    public CsatReport csat(@QueryParam("range") String range, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("timeZone") String timeZone, @QueryParam("inboxId") String inboxId,
            @QueryParam("agentId") String agentId,
            @Parameter(description = "operators and services only") @QueryParam("accountId") String accountId)
            throws SQLException {
        Caller caller = callers.requireAccountView(accountId);
        return metrics.csat(caller.accountId(), new RangeQuery(range, from, to, timeZone), filters(inboxId, agentId));
    }

    @GET
    @Path("/messages")
    @Operation(summary = "Messages by type, delivery status and direction; per hour in the time zone; peak hour")
    public MessageReport messages(@QueryParam("range") String range, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("timeZone") String timeZone, @QueryParam("inboxId") String inboxId,
            @QueryParam("agentId") String agentId, @QueryParam("accountId") String accountId) throws SQLException {
        Caller caller = callers.requireAccountView(accountId);
        return metrics.messages(caller.accountId(), new RangeQuery(range, from, to, timeZone), filters(inboxId, agentId));
    }

    @GET
    @Path("/agents")
    @Operation(summary = "Agent performance; an agent sees only its own row")
    public AgentReport agents(@QueryParam("range") String range, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("timeZone") String timeZone, @QueryParam("inboxId") String inboxId,
            @QueryParam("agentId") String agentId, @QueryParam("accountId") String accountId) throws SQLException {
        Caller caller = callers.resolve(accountId);
        Filters filters = filters(inboxId, agentId);
        if (caller.kind() == Caller.Kind.CUSTOMER) {
            throw ProblemException.forbidden("customers have no metrics");
        }
        if (!caller.seesWholeAccount()) {
            filters = filters.withAgent(caller.agentId());
        }
        return metrics.agents(caller.accountId(), new RangeQuery(range, from, to, timeZone), filters);
    }

    @GET
    @Path("/teams")
    @Operation(summary = "Team performance (by each conversation's current team)")
    public TeamReport teams(@QueryParam("range") String range, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("timeZone") String timeZone, @QueryParam("inboxId") String inboxId,
            @QueryParam("accountId") String accountId) throws SQLException {
        Caller caller = callers.requireAccountView(accountId);
        return metrics.teams(caller.accountId(), new RangeQuery(range, from, to, timeZone), filters(inboxId, null));
    }

    @GET
    @Path("/queue")
    @Operation(summary = "Waiting queue: depth, waiting, average and longest current wait")
    public QueueFigures queue(@QueryParam("accountId") String accountId) throws SQLException {
        return metrics.queue(callers.requireAccountView(accountId).accountId());
    }

    @GET
    @Path("/overview")
    @Operation(summary = "Active conversations, waiting, resolved today, online agents")
    public Overview overview(@QueryParam("timeZone") String timeZone, @QueryParam("accountId") String accountId)
            throws SQLException {
        return metrics.overview(callers.requireAccountView(accountId).accountId(), timeZone);
    }

    @GET
    @Path("/dashboard")
    @Operation(summary = "Everything a live dashboard shows for today (what the gateway's metrics topic pushes)")
    public Dashboard dashboard(@QueryParam("accountId") String accountId) throws SQLException {
        return metrics.dashboard(callers.requireAccountView(accountId).accountId());
    }

    @GET
    @Path("/status")
    @Operation(summary = "Where folding stands (operators)")
    public FoldStatus status() throws SQLException {
        callers.requireOperator();
        return metrics.status();
    }

    @POST
    @Path("/rebuild")
    @Operation(summary = "Empty the rollups and fold the event log again from its beginning (operators)")
    public FoldStatus rebuild(@QueryParam("partialHistory") boolean partialHistory) throws SQLException {
        callers.requireOperator();
        return metrics.rebuild(partialHistory);
    }

    private static Filters filters(String inboxId, String agentId) {
        return new Filters(inboxId == null ? null : CurrentCaller.parse("inboxId", inboxId),
                agentId == null ? null : CurrentCaller.parse("agentId", agentId));
    }
}
