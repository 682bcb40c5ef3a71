package io.switchboard.conversations.service;

import io.switchboard.conversations.rest.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** A list page boundary: the sort timestamp and id of the last item returned, as an opaque string. */
public record KeysetCursor(Instant at, UUID id) {

    /** Page boundaries are timestamps the database can hold; anything else was not produced here. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public String encode() {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        String raw = micros + "/" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** Null for null; a cursor this service did not produce is a 400. */
    public static KeysetCursor parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            int slash = raw.indexOf('/');
            long micros = Long.parseLong(raw.substring(0, slash));
            Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                throw new IllegalArgumentException("out of range");
            }
            return new KeysetCursor(at, UUID.fromString(raw.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw Problems.validation("cursor", "is not a cursor returned by this list");
        }
    }
}
