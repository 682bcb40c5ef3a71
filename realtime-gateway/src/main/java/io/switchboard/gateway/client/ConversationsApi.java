package io.switchboard.gateway.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The parts of the conversations service's API the gateway uses, always with the caller's own token, so
 * the system of record decides access at subscribe time (per event the gateway decides from the routing
 * scope). Status updates for presence use the gateway's service token.
 */
@RegisterRestClient(configKey = "conversations")
@Path("/api/v1")
public interface ConversationsApi {

    @GET
    @Path("/agents/me")
    Uni<AgentInfo> me(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/contacts/me")
    Uni<ContactInfo> myContact(@HeaderParam("Authorization") String bearer);

    @GET
    @Path("/conversations/{id}")
    Uni<ConversationInfo> conversation(@HeaderParam("Authorization") String bearer, @PathParam("id") UUID id);

    @GET
    @Path("/agents/{id}")
    Uni<AgentInfo> agent(@HeaderParam("Authorization") String bearer, @PathParam("id") UUID id);

    @PUT
    @Path("/agents/{id}/status")
    Uni<AgentInfo> setStatus(@HeaderParam("Authorization") String bearer, @PathParam("id") UUID id, StatusChange change);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentInfo(UUID id, String name, String role, String status, List<UUID> inboxIds, List<UUID> teamIds, long version) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ContactInfo(UUID id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ConversationInfo(UUID id, UUID inboxId, UUID teamId, UUID assigneeId, UUID contactId, long version) {
    }

    record StatusChange(String status) {
    }
}
