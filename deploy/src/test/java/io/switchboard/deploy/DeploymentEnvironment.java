package io.switchboard.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment a Deployment's main container gets, resolved against the overlay's ConfigMaps: literal
 * and ConfigMap values, Secret references (resolved only in a cluster), and the Secrets mounted as files.
 */
record DeploymentEnvironment(Map<String, String> configured, Map<String, SecretKeySelector> fromSecrets,
        Map<String, String> secretMounts) {

    static DeploymentEnvironment of(RenderedOverlay rendered, Deployment deployment) {
        String name = deployment.getMetadata().getName();
        Container container = ManifestPolicyTest.container(deployment, name);
        Map<String, String> configured = new LinkedHashMap<>();
        Map<String, SecretKeySelector> fromSecrets = new LinkedHashMap<>();
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() == null) {
                throw new AssertionError(name + ": envFrom only from ConfigMaps (Secrets by key, so each is visible)");
            }
            configured.putAll(rendered.get(ConfigMap.class, source.getConfigMapRef().getName()).getData());
        }
        for (EnvVar variable : container.getEnv()) {
            if (variable.getValueFrom() == null) {
                configured.put(variable.getName(), variable.getValue());
            } else if (variable.getValueFrom().getSecretKeyRef() != null) {
                fromSecrets.put(variable.getName(), variable.getValueFrom().getSecretKeyRef());
            } else if (variable.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = variable.getValueFrom().getConfigMapKeyRef();
                configured.put(variable.getName(), rendered.get(ConfigMap.class, ref.getName()).getData().get(ref.getKey()));
            } else {
                throw new AssertionError(name + ": env " + variable.getName() + " comes from neither a ConfigMap nor a Secret");
            }
        }
        Map<String, String> secretMounts = new LinkedHashMap<>();
        for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
            if (volume.getSecret() != null) {
                VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
                        .findFirst().orElseThrow(() -> new AssertionError(name + ": volume " + volume.getName() + " is not mounted"));
                secretMounts.put(volume.getSecret().getSecretName(), mount.getMountPath());
            }
        }
        return new DeploymentEnvironment(configured, fromSecrets, secretMounts);
    }

    /** Every variable name the container gets. */
    Set<String> names() {
        Set<String> names = new TreeSet<>(configured.keySet());
        names.addAll(fromSecrets.keySet());
        return names;
    }

    Set<String> secretNames() {
        Set<String> names = new TreeSet<>(secretMounts.keySet());
        fromSecrets.values().forEach(ref -> names.add(ref.getName()));
        return names;
    }
}
