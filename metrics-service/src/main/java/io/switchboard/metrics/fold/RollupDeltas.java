package io.switchboard.metrics.fold;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one batch of events changes, coalesced before anything is written: rollup increments per key (a
 * +1 and a −1 on the same key cancel out), the latest state of each agent, account and active conversation,
 * and the accounts whose figures moved.
 */
public final class RollupDeltas {

    public record MessageKey(UUID accountId, Instant bucket, UUID inboxId, UUID agentId, String type, String direction,
            String status) {
    }

    public record ConversationKey(UUID accountId, Instant bucket, String measure, UUID inboxId, UUID teamId, UUID agentId) {
    }

    public record CsatKey(UUID accountId, Instant bucket, UUID inboxId, UUID agentId, int rating) {
    }

    public record AgentState(UUID id, UUID accountId, String name, String role, String status) {
    }

    /** An active conversation's queue-relevant state; {@code active == false} removes it. */
    public record ActiveConversation(UUID id, UUID accountId, UUID inboxId, String status, UUID assigneeId,
            Instant waitingSince, Instant createdAt, boolean active) {
    }

    final Map<MessageKey, long[]> messages = new HashMap<>();
    final Map<ConversationKey, long[]> conversations = new HashMap<>();
    final Map<CsatKey, long[]> ratings = new HashMap<>();
    final Map<UUID, AgentState> agents = new LinkedHashMap<>();
    final Map<UUID, String> accountTimeZones = new LinkedHashMap<>();
    final Map<UUID, ActiveConversation> activeConversations = new LinkedHashMap<>();
    final Set<UUID> touchedAccounts = new LinkedHashSet<>();
    private int events;

    void message(MessageKey key, int sign) {
        messages.computeIfAbsent(key, k -> new long[1])[0] += sign;
    }

    void conversation(ConversationKey key, int sign, long durationMicros) {
        long[] sums = conversations.computeIfAbsent(key, k -> new long[2]);
        sums[0] += sign;
        sums[1] += sign * durationMicros;
    }

    void rating(CsatKey key, int sign) {
        ratings.computeIfAbsent(key, k -> new long[1])[0] += sign;
    }

    void agent(AgentState state) {
        agents.put(state.id(), state);
    }

    void accountTimeZone(UUID accountId, String timeZone) {
        accountTimeZones.put(accountId, timeZone);
    }

    void activeConversation(ActiveConversation state) {
        activeConversations.put(state.id(), state);
    }

    void touched(UUID accountId) {
        touchedAccounts.add(accountId);
        events++;
    }

    public int events() {
        return events;
    }

    public Set<UUID> touchedAccounts() {
        return touchedAccounts;
    }
}
