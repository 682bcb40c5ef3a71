package io.switchboard.gateway.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the side-by-side benchmark's Node.js servers (realtime-gateway/src/test/node) as its own process:
 * {@code node <script>} with {@code PORT} set, ready when it prints a line starting with "ready". Output goes
 * to {@code target/side-by-side-<script>.log}. {@link #install} runs {@code npm ci} from the committed lock
 * file when node_modules is missing or was installed from another lock file.
 */
final class NodeServer implements AutoCloseable {

    static final Path DIRECTORY = ServiceProcess.repositoryRoot().resolve("realtime-gateway/src/test/node");
    /** The lock file node_modules was installed from (written after a successful npm ci). */
    private static final Path INSTALLED_LOCK = DIRECTORY.resolve("node_modules/.installed-from-package-lock.json");

    private final Process process;
    private final int port;

    private NodeServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Checks node and npm, installs the servers' packages if needed; returns node's version. */
    static String install() throws IOException, InterruptedException {
        String version = run(List.of("node", "--version")).trim();
        run(List.of("npm", "--version"));
        int major = Integer.parseInt(version.replaceFirst("^v(\\d+).*", "$1"));
        if (major < 20) {
            throw new IllegalStateException("the side-by-side benchmark needs Node.js 20 or newer, found " + version);
        }
        Path lock = DIRECTORY.resolve("package-lock.json");
        if (Files.isRegularFile(INSTALLED_LOCK) && Files.mismatch(lock, INSTALLED_LOCK) == -1) {
            return version;
        }
        System.out.println("npm ci in " + DIRECTORY);
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIRECTORY.toFile()).inheritIO().start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci failed in " + DIRECTORY + " (output above)");
        }
        Files.copy(lock, INSTALLED_LOCK, StandardCopyOption.REPLACE_EXISTING);
        return version;
    }

    /** The installed version of {@code module} (from its package.json). */
    static String version(String module) throws IOException {
        return new ObjectMapper().readTree(DIRECTORY.resolve("node_modules").resolve(module).resolve("package.json").toFile())
                .path("version").asText();
    }

    /** Starts {@code script} on a free port and waits for its ready line. */
    static NodeServer start(String script) throws IOException, InterruptedException {
        int port = ServiceProcess.freePort();
        Path log = Path.of("target", "side-by-side-" + script.replace(".mjs", "") + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(DIRECTORY.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("NODE_ENV", "production");
        NodeServer server = new NodeServer(builder.start(), port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "node-shutdown"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.readAllLines(log).stream().noneMatch(line -> line.startsWith("ready"))) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(script + " did not print its ready line within 30 s; its output:\n" + Files.readString(log));
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return server;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Runs a short command and returns its output; a missing command fails with how to install Node.js. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("the side-by-side benchmark needs Node.js 20+ and npm on the PATH (`" + command.get(0)
                    + "` not found; Debian: apt-get install nodejs npm)", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed: " + output));
        }
        return output;
    }
}
