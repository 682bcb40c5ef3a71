package io.switchboard.conversations.rest;

import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.ConversationService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Conversations")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
public class QueueResource {

    @Inject
    ConversationService conversations;

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(summary = "The waiting queue: open, unassigned conversations, longest waiting first, with its depth")
    public Response queue(@QueryParam("limit") String limit) {
        ConversationService.Queue queue = conversations.queue(caller.get(), Http.integer("limit", limit));
        return Response.ok(queue).header(Http.EVENT_CURSOR_HEADER, queue.eventCursor()).build();
    }
}
