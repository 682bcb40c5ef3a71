package io.switchboard.gateway.console;

import io.smallrye.common.annotation.NonBlocking;
import io.switchboard.gateway.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Where the agent console and the customer widget (static pages of this service) find the REST API. */
@Path("/client-config.json")
@Tag(name = "Browser clients")
public class ConsoleConfigResource {

    /** {@code apiUrl}: prefix for /api/v1/... requests ("" = same origin); {@code wsPath}: the WebSocket endpoint. */
    public record ClientConfig(String apiUrl, String wsPath) {
    }

    @Inject
    GatewayConfig config;

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Settings the browser clients load at start")
    public ClientConfig get() {
        return new ClientConfig(config.console().apiUrl().map(url -> url.replaceAll("/+$", "")).orElse(""), "/ws");
    }
}
