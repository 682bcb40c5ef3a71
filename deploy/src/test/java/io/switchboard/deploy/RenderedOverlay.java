package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.switchboard.testing.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One overlay under {@code deploy/overlays}, rendered by {@code kubectl kustomize} exactly as
 * {@code kubectl apply -k} would send it, and parsed strictly against the Kubernetes API model.
 */
record RenderedOverlay(String name, List<HasMetadata> objects) {

    /** Every overlay that ships. */
    static final List<String> OVERLAYS = List.of("dev", "prod", "prod-jvm");

    /** The kubectl to use: {@code $KUBECTL}, else the one on the PATH (Debian: package kubernetes-client). */
    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        return configured == null || configured.isBlank() ? "kubectl" : configured;
    }

    static Path deployDirectory() {
        return ServiceProcess.repositoryRoot().resolve("deploy");
    }

    private static final Map<String, RenderedOverlay> RENDERED = new ConcurrentHashMap<>();

    /** The overlay rendered and parsed (once per test JVM: the files do not change during a run). */
    static RenderedOverlay render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> new RenderedOverlay(o,
                new StrictManifestParser().parseAll(kustomize(deployDirectory().resolve("overlays").resolve(o)))));
    }

    /** The output of {@code kubectl kustomize dir}; a failure carries kubectl's own message. */
    static String kustomize(Path directory) {
        try {
            Path errors = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl(), "kustomize", directory.toString())
                    .redirectError(errors.toFile())
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + directory + " failed:\n" + Files.readString(errors));
            }
            Files.deleteIfExists(errors);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + kubectl() + "' (install kubectl, on Debian: apt-get install"
                    + " kubernetes-client, or set KUBECTL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String objectName) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(objectName)).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String objectName) {
        return find(type, objectName).orElseThrow(() -> new AssertionError(
                name + ": no " + type.getSimpleName() + " named " + objectName));
    }

    Deployment deployment(String service) {
        return get(Deployment.class, service);
    }

    @Override
    public String toString() {
        return name;
    }
}
