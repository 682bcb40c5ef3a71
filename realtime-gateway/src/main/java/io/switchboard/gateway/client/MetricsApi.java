package io.switchboard.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The metrics service's dashboard, fetched with the gateway's service token once per account and update. */
@RegisterRestClient(configKey = "metrics")
@Path("/api/v1/metrics")
public interface MetricsApi {

    @GET
    @Path("/dashboard")
    Uni<JsonNode> dashboard(@HeaderParam("Authorization") String bearer, @QueryParam("accountId") UUID accountId);
}
