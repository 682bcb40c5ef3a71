package io.switchboard.eventlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Payloads are JSON trees; this mapper (no reflection needed for trees) reads and writes them. */
public final class EventJson {

    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private EventJson() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event payload cannot be serialized", e);
        }
    }

    static ObjectNode read(String json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("event payload in the log is not a JSON object", e);
        }
    }
}
