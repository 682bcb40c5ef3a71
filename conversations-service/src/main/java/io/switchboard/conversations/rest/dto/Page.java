package io.switchboard.conversations.rest.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One page of a list. {@code nextCursor} fetches the next page (null on the last one); {@code eventCursor}
 * is the event-log position this snapshot is complete up to: follow the log from there.
 */
@RegisterForReflection(registerFullHierarchy = true)
public record Page<T>(List<T> items, String nextCursor, String eventCursor) {
}
