package io.switchboard.gateway.presence;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import io.switchboard.gateway.config.GatewayConfig;
import jakarta.inject.Inject;

/**
 * The gateway's own bearer token for the conversations service (role "service"), used to keep agents'
 * status in line with presence. A file is re-read on every use, so a sidecar or a mounted secret can
 * rotate it; a fixed value is for local runs.
 */
@ApplicationScoped
public class ServiceCredentials {

    @Inject
    GatewayConfig config;

    public Optional<String> bearer() {
        Optional<String> tokenFile = config.serviceTokenFile();
        if (tokenFile.isPresent() && !tokenFile.get().isBlank()) {
            try {
                return Optional.of("Bearer " + Files.readString(Path.of(tokenFile.get())).trim());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return config.serviceToken().filter(t -> !t.isBlank()).map(t -> "Bearer " + t.trim());
    }
}
