package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.TeamView;
import io.switchboard.conversations.rest.dto.CreateTeamRequest;
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

@Path("/api/v1/teams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Teams")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
public class TeamResource {

    @Inject
    DirectoryService directory;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a team")
    public Response create(@NotNull @Valid CreateTeamRequest request) {
        TeamView team = directory.createTeam(caller.get(), request);
        return Response.created(URI.create("/api/v1/teams/" + team.id())).entity(team).build();
    }

    @GET
    @Operation(summary = "All teams of the account")
    public List<TeamView> list() {
        return directory.teams(caller.get());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One team")
    public TeamView get(@PathParam("id") UUID id) {
        return directory.team(caller.get(), id);
    }
}
