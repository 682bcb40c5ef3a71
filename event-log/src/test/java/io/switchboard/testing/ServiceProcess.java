package io.switchboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Switchboard service running as its own process (JVM or native), the way it runs in production: for tests that
 * need another service (the gateway's tests drive the conversations service) and for benchmarks.
 * Output goes to {@code target/<name>.log} of the calling module.
 */
public final class ServiceProcess implements AutoCloseable {

    /** System property: start native executables instead of JVM packages. */
    public static final String NATIVE_PROPERTY = "switchboard.native";

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code module}'s packaged application on a free port and waits until it is ready: the JVM package
     * ({@code target/quarkus-app/quarkus-run.jar}, built by {@code ./mvnw package} or an earlier reactor step),
     * or, when the system property {@value #NATIVE_PROPERTY} is true (Maven profile {@code native}), the native
     * executable {@code target/*-runner}. A native executable takes the same {@code -X}/{@code -D} options.
     */
    public static ServiceProcess start(String module, Map<String, String> environment, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        if (Boolean.getBoolean(NATIVE_PROPERTY)) {
            command.add(nativeExecutable(module).toString());
            command.addAll(jvmOptions);
        } else {
            Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl " + module + " -am package -DskipTests)");
            }
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            command.add("-jar");
            command.add(jar.toString());
        }
        int port = freePort();
        Path log = Path.of("target", module + "-" + port + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        try {
            Files.createDirectories(log.getParent());
            ServiceProcess service = new ServiceProcess(module, builder.start(), port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, module + "-shutdown"));
            service.awaitReady(Duration.ofSeconds(90));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path nativeExecutable(String module) {
        Path target = repositoryRoot().resolve(module).resolve("target");
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no native executable in " + target
                            + ": build it first (./mvnw -Pnative -pl " + module + " -am package -DskipTests)"));
        } catch (IOException e) {
            throw new UncheckedIOException(target + " is missing: build " + module + " first", e);
        }
    }

    /** The environment pointing a service at a test database and the test token issuer. */
    public static Map<String, String> environmentFor(TestDatabase database, Path publicKey) {
        return Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password(),
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toUri().toString(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER,
                "MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE);
    }

    /**
     * A mutable environment for a service on the shared test database that trusts the test token issuer
     * (its public key written under {@code target/test-keys}); callers add their own settings.
     */
    public static Map<String, String> testEnvironment() {
        Path key = TestTokens.writePublicKey(Path.of("target", "test-keys").toAbsolutePath());
        return new HashMap<>(environmentFor(TestDatabase.shared(), key));
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The service's console output (stdout and stderr). */
    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log + tail(log));
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + log + tail(log));
    }

    /** Stops the service the way Kubernetes does: SIGTERM, then SIGKILL after a grace period. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Sends SIGTERM and waits up to {@code timeout} for the exit; returns how long it took (null if it did not exit). */
    public java.time.Duration terminate(java.time.Duration timeout) {
        long start = System.nanoTime();
        process.destroy();
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return java.time.Duration.ofNanos(System.nanoTime() - start);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Kills the process without letting it shut down (a crashed pod). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The repository root: the surefire/exec property if set, else the nearest parent holding mvnw. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("switchboard.repo.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no mvnw above " + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The end of a service's log, so a failure report (CI keeps only the console) says why it failed. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "\n--- last lines of " + log.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return " (log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
