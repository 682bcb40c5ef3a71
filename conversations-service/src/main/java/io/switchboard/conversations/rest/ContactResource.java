package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.ContactView;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.ConversationAccess;
import io.switchboard.conversations.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
public class ContactResource {

    @Inject
    DirectoryService directory;

    @Inject
    ConversationAccess access;

    @Inject
    CurrentCaller caller;

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "The account's customers, newest first (cursor pagination)")
    public Response list(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        return Http.page(directory.contacts(caller.get(), cursor, Http.integer("limit", limit)));
    }

    @GET
    @Path("/me")
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "The calling customer's contact (404 before its first chat)")
    public ContactView me() {
        var contact = access.contactOf(caller.get());
        if (contact == null) {
            throw Problems.notFound("contact");
        }
        return ContactView.of(contact);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "One customer")
    public ContactView get(@PathParam("id") UUID id) {
        return directory.contact(caller.get(), id);
    }
}
