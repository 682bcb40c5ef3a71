package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.ConversationView;
import io.switchboard.conversations.domain.Priority;
import io.switchboard.conversations.rest.dto.AssignmentRequest;
import io.switchboard.conversations.rest.dto.StartConversationRequest;
import io.switchboard.conversations.rest.dto.UpdateConversationRequest;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.ConversationService;
import io.switchboard.conversations.service.MessageService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/conversations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Conversations")
public class ConversationResource {

    private static final String AGENTS_AND_CUSTOMERS = "agents see what their role allows; customers their own";

    @Inject
    ConversationService conversations;

    @Inject
    MessageService messages;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "A customer starts a chat",
            description = "Creates the customer's contact on its first chat. With message.clientMessageId, a retry returns the same conversation (200).")
    public Response start(@NotNull @Valid StartConversationRequest request) {
        ConversationService.Started started = conversations.start(caller.get(), request);
        ConversationView view = started.conversation();
        Response.ResponseBuilder response = started.created()
                ? Response.created(URI.create("/api/v1/conversations/" + view.id()))
                : Response.ok();
        return response.entity(view).tag(Http.etag(view.version())).build();
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "Conversations by last activity, newest first (cursor pagination)",
            description = AGENTS_AND_CUSTOMERS + ". The X-Event-Cursor header (and eventCursor) is where to follow the event log from.")
    public Response list(
            @Parameter(description = "one or more of open, pending, snoozed, resolved (repeat or comma-separate)")
            @QueryParam("status") List<String> status,
            @Parameter(description = "me, unassigned or an agent id") @QueryParam("assignee") String assignee,
            @QueryParam("teamId") String teamId,
            @QueryParam("inboxId") String inboxId,
            @Parameter(description = "archived conversations instead of active ones (default false)") @QueryParam("archived") String archived,
            @QueryParam("priority") String priority,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        ConversationService.ListFilter filter = new ConversationService.ListFilter(Http.statuses(status),
                assignee == null || assignee.isBlank() ? null : assignee.trim(),
                Http.uuid("teamId", teamId), Http.uuid("inboxId", inboxId), Http.bool("archived", archived),
                Http.enumValue("priority", priority, Priority.class));
        return Http.page(conversations.list(caller.get(), filter, cursor, Http.integer("limit", limit)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "One conversation; its ETag is its version, for If-Match on updates")
    public Response get(@PathParam("id") UUID id) {
        return withEtag(conversations.get(caller.get(), id));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "Change status (open, pending, snoozed with snoozedUntil, resolved) or priority",
            description = "With If-Match, a stale version is answered 412 version-conflict carrying the current conversation.")
    public Response update(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull @Valid UpdateConversationRequest request) {
        return withEtag(conversations.update(caller.get(), id, Http.expectedVersion(ifMatch), request));
    }

    @PUT
    @Path("/{id}/assignment")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "Assign, transfer (to an agent or a team) or unassign")
    public Response assign(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull @Valid AssignmentRequest request) {
        return withEtag(conversations.assign(caller.get(), id, Http.expectedVersion(ifMatch), request));
    }

    @POST
    @Path("/{id}/archive")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "Archive: the conversation leaves the active lists")
    public Response archive(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(conversations.setArchived(caller.get(), id, Http.expectedVersion(ifMatch), true));
    }

    @POST
    @Path("/{id}/unarchive")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "Unarchive")
    public Response unarchive(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return withEtag(conversations.setArchived(caller.get(), id, Http.expectedVersion(ifMatch), false));
    }

    @POST
    @Path("/{id}/read")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "Mark what the caller's side received as read and reset its unread count")
    public Response markRead(@PathParam("id") UUID id) {
        return withEtag(messages.markRead(caller.get(), id));
    }

    private static Response withEtag(ConversationView view) {
        return Response.ok(view).tag(Http.etag(view.version())).build();
    }
}
