package io.switchboard.gateway.isolation;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import io.switchboard.gateway.SseClient;
import io.switchboard.gateway.isolation.World.Party;
import io.switchboard.testing.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One client application as the protocol documents it (asyncapi.yaml) and the client library implements it:
 * it loads a REST snapshot, subscribes from its cursor, applies deltas by version, keeps per subscription the
 * cursor it may resume from (event, {@code subscribed}, {@code pong}), reloads on {@code reset}, and resumes
 * after every disconnect. Over WebSocket or SSE ({@code Last-Event-ID}). Every frame goes past the oracle.
 */
final class ModelClient {

    enum Transport { WS, SSE }

    enum Kind { VIEW, QUEUE, AGENTS, CONVERSATION, METRICS }

    /** A subscription and the state the client built from it. */
    static final class Sub {
        final String id;
        final Kind kind;
        final String topic;
        final Map<String, String> filter;
        final UUID conversationId;
        /** entity id → version; negative: the entity left (a tombstone keeps its version). */
        final Map<UUID, Long> state = new HashMap<>();
        String cursor;
        boolean acknowledged;
        boolean ended;
        boolean snapshotOnAck;
        /** An unsubscribe is on its way; a reset or unsubscribed crossing it ends the subscription (gateway side). */
        boolean unsubscribing;
        /** The gateway ended it (reset, unsubscribed) while the unsubscribe was on its way. */
        boolean endedByGateway;

        Sub(String id, Kind kind, String topic, Map<String, String> filter, UUID conversationId) {
            this.id = id;
            this.kind = kind;
            this.topic = topic;
            this.filter = filter;
            this.conversationId = conversationId;
        }

        Map<UUID, Long> present() {
            Map<UUID, Long> present = new HashMap<>();
            state.forEach((id, version) -> {
                if (version > 0) {
                    present.put(id, version);
                }
            });
            return present;
        }

        void replaceWith(Snapshots.Snapshot snapshot) {
            state.clear();
            state.putAll(snapshot.versions());
        }

        /** The version rule of the client library: a frame with a version the client already has changes nothing. */
        void apply(JsonNode frame, String op) {
            UUID entity = UUID.fromString(frame.path("id").asText());
            long version = frame.path("version").asLong();
            if (kind == Kind.CONVERSATION) {
                String type = frame.path("entity").asText();
                if (type.equals("conversation") || type.equals("message")) {
                    state.merge(entity, version, Math::max);
                }
                return;
            }
            Long known = state.get(entity);
            if (known != null && Math.abs(known) >= version) {
                return;
            }
            state.put(entity, op.equals("leave") ? -version : version);
        }
    }

    final String name;
    final Party party;
    final Transport transport;
    final Map<String, Sub> subs = new LinkedHashMap<>();
    private final Consumer<String> violations;
    private final Oracle oracle;
    private WsClient ws;
    private SseClient sse;
    private int processed;
    private String sseSince;
    private String sseLastEventId;
    private boolean sseReload;
    /** What happened to this client, newest last (shown when it diverges). */
    private final java.util.ArrayDeque<String> history = new java.util.ArrayDeque<>();
    int framesChecked;
    /** The model's clock when this client last lost its connection. */
    long offlineSince;
    int resets;
    int revoked;

    ModelClient(String name, Party party, Transport transport, Oracle oracle, Consumer<String> violations) {
        this.name = name;
        this.party = party;
        this.transport = transport;
        this.oracle = oracle;
        this.violations = violations;
    }

    Sub add(String id, Kind kind, String topic, Map<String, String> filter, UUID conversationId) {
        Sub sub = new Sub(id, kind, topic, filter, conversationId);
        subs.put(id, sub);
        return sub;
    }

    boolean connected() {
        return transport == Transport.WS ? ws != null && !ws.isClosed() : sse != null && !sse.ended();
    }

    /** First start, and after an SSE reset: every snapshot afresh, then subscribe from the first snapshot's cursor. */
    void start() {
        String since = reloadAll();
        if (transport == Transport.WS) {
            openWebSocket();
            for (Sub sub : subs.values()) {
                sub.cursor = sub.kind == Kind.METRICS ? null : since;
                subscribe(sub);
            }
        } else {
            sseSince = since;
            sseLastEventId = null;
            openStream();
        }
    }

    /** Snapshots taken after the first one's cursor, so replaying from it converges (apply by version). */
    private String reloadAll() {
        String since = null;
        for (Sub sub : subs.values()) {
            if (sub.ended) {
                continue;
            }
            Snapshots.Snapshot snapshot = Snapshots.of(party, sub);
            sub.replaceWith(snapshot);
            sub.acknowledged = false;
            if (since == null) {
                since = snapshot.cursor();
            }
        }
        return since;
    }

    void disconnect() {
        pump();
        closeTransport();
    }

    private void closeTransport() {
        if (ws != null || sse != null) {
            note("close");
            offlineSince = oracle.now();
        }
        if (ws != null) {
            ws.close();
            ws = null;
        }
        if (sse != null) {
            try {
                sse.close();
            } catch (Exception ignored) {
                // closing anyway
            }
            sse = null;
        }
        processed = 0;
        subs.values().forEach(sub -> sub.acknowledged = false);
    }

    /** Reconnects and resubscribes every subscription from the cursor it kept. */
    void resume() {
        if (connected()) {
            return;
        }
        closeTransport();
        if (transport == Transport.WS) {
            openWebSocket();
            for (Sub sub : subs.values()) {
                if (!sub.ended) {
                    if (sub.cursor == null && sub.kind != Kind.METRICS) {
                        sub.cursor = reload(sub);
                    }
                    subscribe(sub);
                }
            }
        } else if (sseReload) {
            sseReload = false;
            start();
        } else {
            openStream();
        }
    }

    /** WebSocket only: ping, take the pong (and what came before it), and lose the connection right after. */
    void pingAndDrop(String ref) {
        if (transport != Transport.WS || !connected()) {
            return;
        }
        ws.send(Map.of("type", "ping", "ref", ref));
        JsonNode pong;
        try {
            pong = ws.await(f -> "pong".equals(f.path("type").asText()) && ref.equals(f.path("ref").asText()), Duration.ofSeconds(10));
        } catch (AssertionError closed) {
            disconnect();
            return;
        }
        List<JsonNode> frames = ws.framesFrom(processed);
        for (JsonNode frame : frames) {
            handle(frame, null);
            if (frame == pong) {
                break;
            }
        }
        closeTransport();
    }

    /** Processes frames until the first resumed subscription is acknowledged (or a few seconds passed). */
    void awaitFirstAcknowledgement() {
        if (subs.values().stream().allMatch(sub -> sub.ended)) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (connected() && System.nanoTime() < deadline) {
            List<JsonNode> frames = ws.framesFrom(processed);
            for (JsonNode frame : frames) {
                handle(frame, null);
                if ("subscribed".equals(frame.path("type").asText())) {
                    return;
                }
            }
            sleep(1);
        }
    }

    void ping(String ref) {
        if (transport == Transport.WS && connected()) {
            ws.send(Map.of("type", "ping", "ref", ref));
        }
    }

    void typing(UUID conversationId, boolean privateNote) {
        if (transport == Transport.WS && connected()) {
            ws.send(Map.of("type", "typing", "conversationId", conversationId.toString(), "typing", true, "privateNote", privateNote));
        }
    }

    /** A new conversation topic, snapshot first, then subscribed from its cursor. */
    void follow(UUID conversationId) {
        // on SSE a subscription's id is its topic
        String id = transport == Transport.SSE ? "conversation:" + conversationId : "c-" + conversationId.toString().substring(0, 8);
        if (subs.containsKey(id) && !subs.get(id).ended) {
            return;
        }
        Sub sub = add(id, Kind.CONVERSATION, "conversation:" + conversationId, Map.of(), conversationId);
        if (transport == Transport.SSE) {
            // an event stream's topics are fixed: open a new one with every snapshot loaded afresh
            sseReload = true;
            return;
        }
        sub.cursor = reload(sub);
        if (connected()) {
            subscribe(sub);
        }
    }

    /** Drops every subscription and subscribes again without since, loading the snapshots once acknowledged. */
    void resubscribeFresh() {
        if (transport != Transport.WS || !connected()) {
            return;
        }
        pump();
        int mark = processed;
        List<Sub> active = subs.values().stream().filter(sub -> !sub.ended).toList();
        for (Sub sub : active) {
            sub.unsubscribing = true;
            sub.endedByGateway = false;
            ws.send(Map.of("type", "unsubscribe", "id", sub.id));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Sub sub : active) {
            while (ws.framesFrom(mark).stream().noneMatch(f -> sub.id.equals(f.path("id").asText()) && "unsubscribed".equals(f.path("type").asText())
                    || sub.id.equals(f.path("ref").asText()) && "error".equals(f.path("type").asText()))) {
                if (System.nanoTime() > deadline || ws.isClosed()) {
                    violations.accept(name + ": no answer to unsubscribe " + sub.id);
                    return;
                }
                sleep(5);
            }
        }
        pump();
        for (Sub sub : active) {
            sub.unsubscribing = false;
            if (!sub.ended) {
                sub.cursor = null;
                sub.acknowledged = false;
                sub.snapshotOnAck = true;
                subscribe(sub);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String reload(Sub sub) {
        Snapshots.Snapshot snapshot = Snapshots.of(party, sub);
        sub.replaceWith(snapshot);
        if (!snapshot.visible()) {
            sub.ended = true;
        }
        if (snapshot.cursor() == null && sub.kind == Kind.AGENTS) {
            // the agents list carries no cursor: subscribe without since and take the list once acknowledged
            sub.snapshotOnAck = true;
        }
        return snapshot.cursor();
    }

    private void openWebSocket() {
        note("connect ws");
        ws = WsClient.connect("ws://localhost:" + RestAssured.port + "/ws", party.token);
        ws.await("authenticated", Duration.ofSeconds(10));
        processed = 0;
    }

    private void subscribe(Sub sub) {
        Map<String, Object> frame = new HashMap<>(Map.of("type", "subscribe", "id", sub.id, "topic", sub.topic));
        if (sub.kind == Kind.VIEW && !sub.filter.isEmpty()) {
            Map<String, Object> filter = new HashMap<>(sub.filter);
            frame.put("filter", filter);
        }
        if (sub.cursor != null && !sub.snapshotOnAck) {
            frame.put("since", sub.cursor);
        }
        note("> " + frame);
        ws.send(frame);
    }

    private void openStream() {
        StringBuilder url = new StringBuilder("http://localhost:" + RestAssured.port + "/sse?access_token=" + party.token);
        List<String> topics = new ArrayList<>();
        for (Sub sub : subs.values()) {
            topics.add(sub.topic);
            if (sub.kind == Kind.VIEW) {
                sub.filter.forEach((key, value) -> url.append("&filter.").append(key).append('=').append(value));
            }
        }
        url.append("&subscribe=").append(URLEncoder.encode(String.join(",", topics), StandardCharsets.UTF_8));
        if (sseSince != null) {
            url.append("&since=").append(sseSince);
        }
        note("open sse since=" + sseSince + " Last-Event-ID=" + sseLastEventId + " topics=" + topics);
        try {
            sse = SseClient.open(url.toString(), sseLastEventId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (sse.status != 200) {
            throw new AssertionError(name + ": SSE answered " + sse.status);
        }
        processed = 0;
    }

    /** Processes every frame received since the last call, in order. */
    void pump() {
        if (ws != null) {
            List<JsonNode> frames = ws.framesFrom(processed);
            for (JsonNode frame : frames) {
                handle(frame, null);
            }
        } else if (sse != null) {
            for (SseClient.Event event : sse.eventsFrom(processed)) {
                handle(event.data(), event);
            }
        }
        if (sseReload && sse != null) {
            closeTransport();
            sseReload = false;
            start();
        }
    }

    private void note(String what) {
        history.addLast(what);
        if (history.size() > 40) {
            history.removeFirst();
        }
    }

    private void handle(JsonNode frame, SseClient.Event sseEvent) {
        processed++;
        framesChecked++;
        note("< " + (sseEvent != null && sseEvent.id() != null ? "[id " + sseEvent.id() + "] " : "") + abbreviate(frame, 160));
        if (sseEvent != null && sseEvent.id() != null && !sseEvent.id().isEmpty()) {
            sseLastEventId = sseEvent.id();
        }
        String violation = oracle.check(party, frame);
        if (violation != null) {
            violations.accept(name + ": " + violation + " — frame " + abbreviate(frame));
        }
        switch (frame.path("type").asText()) {
            case "subscribed" -> {
                Sub sub = subs.get(frame.path("id").asText());
                if (sub != null) {
                    sub.acknowledged = true;
                    if (!frame.path("cursor").isNull() && frame.has("cursor")) {
                        sub.cursor = frame.path("cursor").asText();
                    }
                    if (sub.snapshotOnAck) {
                        sub.snapshotOnAck = false;
                        sub.replaceWith(Snapshots.of(party, sub));
                    }
                }
            }
            case "event" -> {
                for (Iterator<Map.Entry<String, JsonNode>> it = frame.path("subs").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    Sub sub = subs.get(entry.getKey());
                    if (sub == null || sub.ended) {
                        continue;
                    }
                    sub.apply(frame, entry.getValue().asText());
                    sub.cursor = frame.path("cursor").asText();
                }
            }
            case "pong" -> {
                JsonNode perSubscription = frame.path("cursors");
                for (Sub sub : subs.values()) {
                    if (perSubscription.isObject()) {
                        if (perSubscription.hasNonNull(sub.id)) {
                            sub.cursor = perSubscription.get(sub.id).asText();
                        }
                    } else if (sub.acknowledged && frame.hasNonNull("cursor") && sub.kind != Kind.METRICS) {
                        sub.cursor = frame.path("cursor").asText();
                    }
                }
            }
            case "reset" -> {
                Sub sub = subs.get(frame.path("id").asText());
                if (sub == null) {
                    return;
                }
                resets++;
                if (sub.unsubscribing) {
                    sub.endedByGateway = true; // the unsubscribe crossing it gets unknown_subscription; subscribed afresh after
                } else if (transport == Transport.SSE) {
                    sseReload = true;
                } else {
                    sub.acknowledged = false;
                    sub.snapshotOnAck = false;
                    sub.cursor = reload(sub);
                    if (!sub.ended) {
                        subscribe(sub);
                    }
                }
            }
            case "unsubscribed" -> {
                Sub sub = subs.get(frame.path("id").asText());
                if (sub != null && "access_revoked".equals(frame.path("reason").asText())) {
                    sub.ended = true;
                    sub.endedByGateway = sub.unsubscribing;
                    revoked++;
                }
            }
            case "error" -> {
                Sub sub = subs.get(frame.path("ref").asText());
                if (sub != null && sub.kind == Kind.CONVERSATION && "not_found".equals(frame.path("code").asText())) {
                    sub.ended = true; // access was lost between the snapshot and the subscription
                } else if (sub != null && sub.endedByGateway && "unknown_subscription".equals(frame.path("code").asText())) {
                    sub.endedByGateway = false; // the documented answer to an unsubscribe that crossed the gateway's end of it
                } else {
                    violations.accept(name + ": unexpected error frame " + abbreviate(frame) + "\n    history:\n      " + String.join("\n      ", history));
                }
            }
            default -> {
                // typing, presence, metrics, authenticated, token_expiring, reconnect, close: nothing to keep
            }
        }
    }

    /** Differences between what the client shows and what a fresh REST snapshot shows the same party. */
    List<String> divergence() {
        List<String> differences = new ArrayList<>();
        for (Sub sub : subs.values()) {
            if (sub.kind == Kind.METRICS || sub.ended) {
                continue;
            }
            Snapshots.Snapshot truth = Snapshots.of(party, sub);
            if (!truth.visible()) {
                differences.add(name + "/" + sub.id + ": still subscribed to " + sub.topic + " after losing access to it");
                continue;
            }
            Map<UUID, Long> shown = sub.present();
            if (!shown.equals(truth.versions())) {
                Map<UUID, String> diff = new HashMap<>();
                truth.versions().forEach((id, v) -> {
                    if (!v.equals(shown.get(id))) {
                        diff.put(id, "REST v" + v + ", client " + (shown.containsKey(id) ? "v" + shown.get(id) : "missing"));
                    }
                });
                shown.forEach((id, v) -> {
                    if (!truth.versions().containsKey(id)) {
                        diff.put(id, "client v" + v + ", not in REST");
                    }
                });
                differences.add(name + "/" + sub.id + " (" + sub.topic + "): " + diff + "\n    history:\n      " + String.join("\n      ", history));
            }
        }
        return differences;
    }

    void close() {
        closeTransport();
    }

    private static String abbreviate(JsonNode frame) {
        return abbreviate(frame, 400);
    }

    private static String abbreviate(JsonNode frame, int length) {
        String text = frame.toString();
        return text.length() <= length ? text : text.substring(0, length) + "…";
    }
}
