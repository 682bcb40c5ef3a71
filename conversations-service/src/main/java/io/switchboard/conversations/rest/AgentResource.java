package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.AgentView;
import io.switchboard.conversations.rest.dto.AgentStatusRequest;
import io.switchboard.conversations.rest.dto.CreateAgentRequest;
import io.switchboard.conversations.rest.dto.MembershipsRequest;
import io.switchboard.conversations.rest.dto.UpdateAgentRequest;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.AgentService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Agents")
@RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
public class AgentResource {

    @Inject
    AgentService agents;

    @Inject
    CurrentCaller caller;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an agent", description = "The email is unique within the account (409 email-taken).")
    public Response create(@NotNull @Valid CreateAgentRequest request) {
        AgentView agent = agents.create(caller.get().accountId(), request, caller.get().actor());
        return Response.created(URI.create("/api/v1/agents/" + agent.id())).entity(agent).build();
    }

    @GET
    @Operation(summary = "All agents of the account, with status and memberships")
    public List<AgentView> list() {
        return agents.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "One agent; \"me\" is the caller")
    public AgentView get(@Parameter(description = "agent id or \"me\"") @PathParam("id") String id) {
        return agents.get(caller.get(), agentId(id));
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rename an agent or change its role")
    public AgentView update(@PathParam("id") String id, @NotNull @Valid UpdateAgentRequest request) {
        return agents.update(caller.get(), agentId(id), request);
    }

    @PUT
    @Path("/{id}/memberships")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace an agent's inbox and team memberships")
    public AgentView setMemberships(@PathParam("id") String id, @NotNull @Valid MembershipsRequest request) {
        return agents.setMemberships(caller.get(), agentId(id), request);
    }

    @PUT
    @Path("/{id}/status")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Set an agent's status",
            description = "Agents set their own; supervisors and admins anyone's; the realtime gateway's service token follows presence.")
    public AgentView setStatus(@PathParam("id") String id, @NotNull @Valid AgentStatusRequest request) {
        return agents.setStatus(caller.get(), agentId(id), request.status());
    }

    private UUID agentId(String id) {
        if ("me".equals(id)) {
            return caller.get().agentId();
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw Problems.notFound("agent");
        }
    }
}
