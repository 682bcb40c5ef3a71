package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.InboxView;
import io.switchboard.conversations.rest.dto.CreateInboxRequest;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/inboxes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Inboxes")
public class InboxResource {

    @Inject
    DirectoryService directory;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an inbox")
    public Response create(@NotNull @Valid CreateInboxRequest request) {
        InboxView inbox = directory.createInbox(caller.get(), request);
        return Response.created(URI.create("/api/v1/inboxes/" + inbox.id())).entity(inbox).build();
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "All inboxes of the account", description = "Customers see them too, to pick where to start a chat.")
    public List<InboxView> list() {
        return directory.inboxes(caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "One inbox")
    public InboxView get(@PathParam("id") UUID id) {
        return directory.inbox(caller.get(), id);
    }
}
