package io.switchboard.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads a server-sent event stream on its own thread; keeps every event (name, id, JSON data). */
public final class SseClient implements AutoCloseable {

    public record Event(String name, String id, JsonNode data) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Event> events = new ArrayList<>();
    private final InputStream body;
    private final Thread reader;
    public final int status;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        // a refused stream is read whole by text(); a reader racing it would consume and close the body
        this.reader = status == 200 ? Thread.ofPlatform().daemon().start(this::read) : null;
    }

    public static SseClient open(String url, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        Event event = new Event(name, id, JSON.readTree(data.toString()));
                        synchronized (events) {
                            events.add(event);
                            events.notifyAll();
                        }
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        } catch (Exception e) {
            // stream closed
        }
    }

    Event await(Predicate<Event> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (Event event : events) {
                    if (match.test(event)) {
                        return event;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event within " + timeout + "; received " + events.size());
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The events received after the first {@code from}, in order. */
    public List<Event> eventsFrom(int from) {
        synchronized (events) {
            return from >= events.size() ? List.of() : List.copyOf(events.subList(from, events.size()));
        }
    }

    /** Whether the stream has ended (the server closed it, or it was closed here). */
    public boolean ended() {
        return reader != null && !reader.isAlive();
    }

    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    String text() throws Exception {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws java.io.IOException {
        body.close();
        if (reader != null) {
            reader.interrupt();
        }
    }
}
