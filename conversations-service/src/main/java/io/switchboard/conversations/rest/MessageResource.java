package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.MessageView;
import io.switchboard.conversations.rest.dto.MessageStatusRequest;
import io.switchboard.conversations.rest.dto.SendMessageRequest;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.MessageService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/conversations/{conversationId}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
public class MessageResource {

    @Inject
    MessageService messages;

    @Inject
    CurrentCaller caller;

    /**
     * Runs on the event loop: the body is checked here and the write queued (service/MessageWrites); no worker
     * thread waits for the commit.
     */
    @POST
    @Operation(summary = "Send a message (agents may write private notes)",
            description = "201 for a new message; 200 with the original when clientMessageId was already used by the same sender.")
    public CompletionStage<Response> send(@PathParam("conversationId") UUID conversationId, @NotNull @Valid SendMessageRequest request) {
        return messages.send(caller.get(), conversationId, request).thenApply(sent -> {
            MessageView message = sent.message();
            Response.ResponseBuilder response = sent.created()
                    ? Response.created(URI.create("/api/v1/conversations/" + conversationId + "/messages/" + message.id()))
                    : Response.ok();
            return response.entity(message).build();
        });
    }

    @GET
    @Operation(summary = "Messages, newest first (cursor pagination); customers never see private notes")
    public Response list(@PathParam("conversationId") UUID conversationId, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) {
        return Http.page(messages.list(caller.get(), conversationId, cursor, Http.integer("limit", limit)));
    }

    @PUT
    @Path("/{messageId}/status")
    @Operation(summary = "Report delivery: sent → delivered → read (forward only), or failed",
            description = "The recipient side reports delivered/read; agents mark outgoing messages failed.")
    public MessageView setStatus(@PathParam("conversationId") UUID conversationId, @PathParam("messageId") UUID messageId,
            @NotNull @Valid MessageStatusRequest request) {
        return messages.updateStatus(caller.get(), conversationId, messageId, request.status());
    }
}
