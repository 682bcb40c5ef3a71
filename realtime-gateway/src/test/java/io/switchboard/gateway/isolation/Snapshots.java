package io.switchboard.gateway.isolation;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.gateway.isolation.World.Party;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a fresh REST snapshot shows a party: the truth every client's state must converge to, and what a
 * client reloads after a reset. Versions by entity id; {@code cursor} is where the snapshot is complete up to
 * (null for lists without one: agents).
 */
final class Snapshots {

    /** Entity id → version, and the event-log cursor of the snapshot. */
    record Snapshot(Map<UUID, Long> versions, String cursor, boolean visible) {
    }

    private Snapshots() {
    }

    static Snapshot of(Party party, ModelClient.Sub sub) {
        return switch (sub.kind) {
            case VIEW -> conversations(party, sub.filter);
            case QUEUE -> queue(party);
            case AGENTS -> agents(party);
            case CONVERSATION -> conversation(party, sub.conversationId);
            case METRICS -> new Snapshot(Map.of(), null, true);
        };
    }

    static Snapshot conversations(Party party, Map<String, String> filter) {
        Map<UUID, Long> versions = new HashMap<>();
        String cursor = pages(party, "/api/v1/conversations", filter, null, versions);
        return new Snapshot(versions, cursor, true);
    }

    /** Every page of a cursor-paginated list into {@code versions}; the first page's X-Event-Cursor, or null on 404. */
    private static String pages(Party party, String path, Map<String, String> query, UUID pathId, Map<UUID, Long> versions) {
        String cursor = null;
        String page = null;
        do {
            var request = party.account.tenant.api(party.token).queryParam("limit", 100);
            query.forEach(request::queryParam);
            if (page != null) {
                request.queryParam("cursor", page);
            }
            Response response = pathId == null ? request.get(path) : request.get(path, pathId);
            if (response.statusCode() == 404) {
                return null;
            }
            JsonPath body = ok(response, "GET " + path);
            if (cursor == null) {
                cursor = response.header("X-Event-Cursor");
            }
            collect(body.getList("items"), versions);
            page = body.getString("nextCursor");
        } while (page != null);
        return cursor;
    }

    static Snapshot queue(Party party) {
        Response response = party.account.tenant.api(party.token).queryParam("limit", 100).get("/api/v1/queue");
        JsonPath body = ok(response, "GET /queue");
        Map<UUID, Long> versions = new HashMap<>();
        collect(body.getList("items"), versions);
        return new Snapshot(versions, response.header("X-Event-Cursor"), true);
    }

    static Snapshot agents(Party party) {
        Response response = party.account.tenant.api(party.token).get("/api/v1/agents");
        Map<UUID, Long> versions = new HashMap<>();
        collect(ok(response, "GET /agents").getList("$"), versions);
        return new Snapshot(versions, null, true);
    }

    /** The conversation's messages by id, and the conversation itself under its own id. */
    static Snapshot conversation(Party party, UUID conversationId) {
        Map<UUID, Long> versions = new HashMap<>();
        String cursor = pages(party, "/api/v1/conversations/{id}/messages", Map.of(), conversationId, versions);
        Response conversation = party.account.tenant.api(party.token).get("/api/v1/conversations/{id}", conversationId);
        if (cursor == null || conversation.statusCode() == 404) {
            return new Snapshot(Map.of(), null, false);
        }
        versions.put(conversationId, ok(conversation, "GET conversation").getLong("version"));
        return new Snapshot(versions, cursor, true);
    }

    private static void collect(List<Map<String, Object>> items, Map<UUID, Long> into) {
        for (Map<String, Object> item : items) {
            into.put(UUID.fromString((String) item.get("id")), ((Number) item.get("version")).longValue());
        }
    }

    private static JsonPath ok(Response response, String what) {
        if (response.statusCode() != 200) {
            throw new AssertionError(what + " answered " + response.statusCode() + ": " + response.asString());
        }
        return response.jsonPath();
    }
}
