package io.switchboard.gateway.sse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.common.annotation.NonBlocking;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.InvalidCursorException;
import io.switchboard.gateway.auth.TokenVerifier;
import io.switchboard.gateway.config.GatewayConfig;
import io.switchboard.gateway.events.LogFollower;
import io.switchboard.gateway.lifecycle.Drain;
import io.switchboard.gateway.lifecycle.LongLivedConnection;
import io.switchboard.gateway.observability.GatewayMetrics;
import io.switchboard.gateway.presence.PresenceService;
import io.switchboard.gateway.session.ClientSession;
import io.switchboard.gateway.session.Inbound;
import io.switchboard.gateway.session.SessionRegistry;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Server-sent events for clients that cannot open a WebSocket: the same frames and guarantees, with the
 * subscriptions in the query and resume through {@code Last-Event-ID} (or {@code since}).
 */
@Path("/sse")
public class SseResource {

    @Inject
    TokenVerifier tokens;

    @Inject
    Inbound inbound;

    @Inject
    SessionRegistry sessions;

    @Inject
    LogFollower follower;

    @Inject
    PresenceService presence;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    Drain drain;

    @Inject
    LongLivedConnection longLived;

    private final ObjectMapper json = new ObjectMapper();

    @GET
    @NonBlocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Event stream (SSE fallback of /ws)",
            description = "Each frame of the WebSocket protocol is an event named by its type; event frames have the cursor as id. "
                    + "Subscription ids are the topic names. The token may be given as access_token because EventSource cannot set headers.")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @Context RoutingContext routing,
            @HeaderParam("Authorization") String authorization,
            @Parameter(description = "bearer token, for clients that cannot send headers") @QueryParam("access_token") String accessToken,
            @Parameter(description = "topics: conversations, conversation:{id}, queue, agents (repeat or comma-separate)")
            @QueryParam("subscribe") List<String> topics,
            @Parameter(description = "resume after this cursor (Last-Event-ID wins)") @QueryParam("since") String since,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("filter.status") String status, @QueryParam("filter.assignee") String assignee,
            @QueryParam("filter.inboxId") String inboxId, @QueryParam("filter.teamId") String teamId,
            @QueryParam("filter.archived") String archived) {
        if (drain.draining()) {
            throw problem(503, "draining", "this instance is shutting down; reconnect");
        }
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : accessToken;
        try {
            tokens.verify(token);
        } catch (TokenVerifier.InvalidToken e) {
            metrics.authFailure();
            throw problem(401, "invalid-token", e.getMessage());
        }
        String resume = lastEventId != null && !lastEventId.isBlank() ? lastEventId : since;
        if (resume != null && !resume.isBlank()) {
            try {
                EventCursor.parse(resume);
            } catch (InvalidCursorException e) {
                throw problem(400, "invalid-cursor", "since / Last-Event-ID is not a cursor this service produced");
            }
        }
        longLived.release(routing.request().connection());
        ClientSession session = new ClientSession("sse-" + UUID.randomUUID(), new SseOutbound(sink, sse), config.limits(), metrics);
        sessions.add(session);
        routing.addEndHandler(ended -> closed(session));
        for (String topicList : topics) {
            for (String topic : topicList.split(",")) {
                if (!topic.isBlank()) {
                    ObjectNode frame = json.createObjectNode().put("type", "subscribe").put("id", topic.trim()).put("topic", topic.trim());
                    if (resume != null && !resume.isBlank()) {
                        frame.put("since", resume);
                    }
                    if (topic.trim().equals("conversations")) {
                        frame.set("filter", filter(status, assignee, inboxId, teamId, archived));
                    }
                    // every topic of the URL is subscribed (beyond the limit each gets its own error, naming it)
                    session.hold(frame.toString(), Integer.MAX_VALUE);
                }
            }
        }
        // authentication replays the held subscribe frames once the identity is loaded
        inbound.authenticate(session, token, null);
    }

    private ObjectNode filter(String status, String assignee, String inboxId, String teamId, String archived) {
        ObjectNode filter = json.createObjectNode();
        if (status != null && !status.isBlank()) {
            var statuses = filter.putArray("status");
            for (String value : status.split(",")) {
                statuses.add(value.trim());
            }
        }
        if (assignee != null && !assignee.isBlank()) {
            filter.put("assignee", assignee);
        }
        if (inboxId != null && !inboxId.isBlank()) {
            filter.put("inboxId", inboxId);
        }
        if (teamId != null && !teamId.isBlank()) {
            filter.put("teamId", teamId);
        }
        if (archived != null && !archived.isBlank()) {
            if (archived.equals("true") || archived.equals("false")) {
                filter.put("archived", Boolean.parseBoolean(archived));
            } else {
                filter.put("archived", archived);
            }
        }
        return filter;
    }

    private void closed(ClientSession session) {
        if (sessions.remove(session.id()) == null) {
            return;
        }
        session.markClosed();
        if (session.isAuthenticated()) {
            follower.router().unregister(session);
            presence.disconnected(session.principal());
        }
    }

    private static WebApplicationException problem(int status, String slug, String detail) {
        ObjectNode body = new ObjectMapper().createObjectNode()
                .put("type", "https://switchboard.dev/problems/" + slug)
                .put("title", Response.Status.fromStatusCode(status).getReasonPhrase())
                .put("status", status)
                .put("detail", detail);
        return new WebApplicationException(Response.status(status).type("application/problem+json").entity(body.toString()).build());
    }
}
