package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.CsatView;
import io.switchboard.conversations.rest.dto.CsatRequest;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.CsatService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/conversations/{conversationId}/csat")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "CSAT")
public class CsatResource {

    @Inject
    CsatService csat;

    @Inject
    CurrentCaller caller;

    @PUT
    @RolesAllowed(Roles.CUSTOMER)
    @Operation(summary = "Rate a resolved conversation 1-5 with optional feedback; rating again replaces it",
            description = "201 for the first rating, 200 when it replaces one; 409 conversation-not-resolved before resolution.")
    public Response rate(@PathParam("conversationId") UUID conversationId, @NotNull @Valid CsatRequest request) {
        CsatService.Rated rated = csat.rate(caller.get(), conversationId, request);
        return Response.status(rated.created() ? Response.Status.CREATED : Response.Status.OK).entity(rated.csat()).build();
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.CUSTOMER})
    @Operation(summary = "The conversation's rating (404 when not rated)")
    public CsatView get(@PathParam("conversationId") UUID conversationId) {
        return csat.get(caller.get(), conversationId);
    }
}
