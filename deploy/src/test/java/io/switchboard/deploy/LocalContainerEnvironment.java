package io.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A container's environment from a manifest, made runnable on this machine: Secret values replaced by the test
 * database, mounted Secrets by local files at paths substituted for the mount paths.
 */
final class LocalContainerEnvironment {

    private LocalContainerEnvironment() {
    }

    static Map<String, String> of(DeploymentEnvironment manifest) throws IOException {
        TestDatabase database = TestDatabase.shared();
        Map<String, String> databaseSecret = Map.of(
                "jdbc-uri", database.jdbcUrl(), "username", database.user(), "password", database.password());
        Map<String, String> environment = new HashMap<>();
        for (Map.Entry<String, SecretKeySelector> entry : manifest.fromSecrets().entrySet()) {
            SecretKeySelector ref = entry.getValue();
            assertThat(ref.getName()).as(entry.getKey()).startsWith("switchboard-db-app");
            assertThat(databaseSecret).as("key of %s", ref.getName()).containsKey(ref.getKey());
            environment.put(entry.getKey(), databaseSecret.get(ref.getKey()));
        }
        Map<String, Path> mounts = new HashMap<>();
        for (Map.Entry<String, String> mount : manifest.secretMounts().entrySet()) {
            mounts.put(mount.getValue(), secretFiles(mount.getKey()));
        }
        manifest.configured().forEach((name, value) -> {
            String local = value;
            for (Map.Entry<String, Path> mount : mounts.entrySet()) {
                local = local.replace(mount.getKey(), mount.getValue().toString());
            }
            environment.put(name, local);
        });
        return environment;
    }

    /** A local stand-in for a mounted Secret: the files docs/deploy.md tells operators to put in it. */
    static Path secretFiles(String secret) throws IOException {
        Path directory = Path.of("target", "secrets", secret).toAbsolutePath();
        Files.createDirectories(directory);
        switch (secret) {
            case "switchboard-jwt" -> TestTokens.writePublicKey(directory);
            case "switchboard-gateway-token" -> Files.writeString(directory.resolve("token"),
                    TestTokens.agent(UUID.randomUUID(), UUID.randomUUID(), "service"));
            default -> throw new AssertionError("no test files for mounted Secret " + secret);
        }
        return directory;
    }
}
