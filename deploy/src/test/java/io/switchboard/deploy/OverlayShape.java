package io.switchboard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An overlay's objects as JSON, to compare two overlays while ignoring what is meant to differ. */
record OverlayShape(List<JsonNode> objects, Map<String, String> images) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static OverlayShape of(RenderedOverlay rendered) {
        Map<String, String> images = new TreeMap<>();
        for (Deployment deployment : rendered.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            images.put(name, ManifestPolicyTest.container(deployment, name).getImage());
        }
        List<JsonNode> objects = rendered.objects().stream().map(OverlayShape::json).toList();
        return new OverlayShape(objects, images);
    }

    /** The objects with every container's image and memory figures removed. */
    List<JsonNode> withoutImagesAndMemory() {
        return objects.stream().map(object -> {
            JsonNode copy = object.deepCopy();
            for (JsonNode container : copy.path("spec").path("template").path("spec").path("containers")) {
                ((ObjectNode) container).remove("image");
                for (String bound : new String[] {"requests", "limits"}) {
                    if (container.path("resources").path(bound) instanceof ObjectNode figures) {
                        figures.remove("memory");
                    }
                }
            }
            return copy;
        }).toList();
    }

    private static JsonNode json(HasMetadata object) {
        return JSON.valueToTree(object);
    }
}
