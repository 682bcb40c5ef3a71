package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.rest.dto.Page;
import io.switchboard.conversations.rest.problem.Problems;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small HTTP helpers shared by the resources: versions as ETags, list headers, query parameter parsing. */
final class Http {

    /** The event-log position a list snapshot is complete up to (also in the body as eventCursor). */
    static final String EVENT_CURSOR_HEADER = "X-Event-Cursor";

    private static final Pattern ENTITY_TAG = Pattern.compile("(?:W/)?\"(\\d{1,18})\"");

    private Http() {
    }

    static EntityTag etag(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an If-Match header expects; null when absent or "*". */
    static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return null;
        }
        Matcher matcher = ENTITY_TAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw Problems.validation("If-Match", "must be the ETag a GET returned, such as \"3\"");
        }
        return Long.parseLong(matcher.group(1));
    }

    static <T> Response page(Page<T> page) {
        return Response.ok(page).header(EVENT_CURSOR_HEADER, page.eventCursor()).build();
    }

    static UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw Problems.validation(field, "must be a UUID");
        }
    }

    static Boolean bool(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Problems.validation(field, "must be true or false");
        };
    }

    static Integer integer(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw Problems.validation(field, "must be a whole number");
        }
    }

    /** An enum value given in its lowercase wire form, or null. */
    static <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        List<String> accepted = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            accepted.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw Problems.validation(field, "must be one of " + String.join(", ", accepted));
    }

    /** Repeated and/or comma-separated values: ?status=open,pending or ?status=open&status=pending. */
    static List<ConversationStatus> statuses(List<String> values) {
        return splitAll(values, v -> enumValue("status", v, ConversationStatus.class));
    }

    private static <T> List<T> splitAll(List<String> values, Function<String, T> parse) {
        List<T> parsed = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        parsed.add(parse.apply(part));
                    }
                }
            }
        }
        return parsed;
    }
}
