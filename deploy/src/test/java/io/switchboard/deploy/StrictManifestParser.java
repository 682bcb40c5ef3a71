package io.switchboard.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Kubernetes YAML into the fabric8 model of the API, strictly: a field the API does not define
 * (fabric8 would otherwise keep it in "additionalProperties"), a value of the wrong type, or an
 * apiVersion/kind outside the ones Switchboard ships fails with the object and the field's path. The Prometheus
 * Operator's kinds are parsed the same way (fabric8's model of its CRDs) and then held to what their CRDs' schemas
 * require beyond field names and types ({@link MonitoringResourceRules}).
 */
final class StrictManifestParser {

    /**
     * The API groups, versions and kinds the manifests may use: GA in Kubernetes >= 1.23, and the Prometheus
     * Operator's monitoring.coreos.com/v1 (docs/deploy.md, "Monitoring").
     */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private final YAMLFactory yaml = new YAMLFactory();
    private final ObjectMapper mapper = JsonMapper.builder()
            // Every fabric8 model class has a catch-all @JsonAnySetter; without it, unknown fields fail.
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // "8080" where the API wants an integer is an error there too
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** Every document of a multi-document YAML stream, in order. */
    List<HasMetadata> parseAll(String yamlText) {
        List<HasMetadata> objects = new ArrayList<>();
        try (YAMLParser parser = yaml.createParser(yamlText)) {
            List<JsonNode> documents = mapper.readValues(parser, JsonNode.class).readAll();
            for (JsonNode document : documents) {
                if (document != null && !document.isEmpty()) {
                    objects.add(parse(document));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    HasMetadata parse(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText();
        String kind = document.path("kind").asText();
        String name = document.path("metadata").path("name").asText("<no name>");
        Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new IllegalArgumentException(kind + " " + name + ": apiVersion/kind " + apiVersion + "/" + kind
                    + " is not one the manifests may use " + KINDS.keySet());
        }
        HasMetadata object;
        try {
            object = mapper.treeToValue(document, type);
        } catch (JsonProcessingException e) {
            String where = e instanceof JsonMappingException mapping ? " at " + mapping.getPathReference() : "";
            throw new IllegalArgumentException(kind + " " + name + " does not match the Kubernetes API: "
                    + e.getOriginalMessage() + where, e);
        }
        List<String> violations = MonitoringResourceRules.violations(object);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(kind + " " + name + " does not match its CRD: " + String.join("; ", violations));
        }
        return object;
    }
}
