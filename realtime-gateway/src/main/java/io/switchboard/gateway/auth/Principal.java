package io.switchboard.gateway.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Who holds a connection. Identity fields never change for the connection's life (a refreshed token must
 * name the same identity); memberships and the customer's contact are updated by the router thread as
 * events arrive, so authorization needs no database lookup per event.
 */
public final class Principal {

    public enum Kind {
        AGENT, CUSTOMER
    }

    private final Kind kind;
    private final UUID accountId;
    private final UUID agentId;
    private final String role;
    private final String subject;
    private volatile String token;
    private volatile Instant expiresAt;

    // router-thread state
    private Set<UUID> inboxIds = Set.of();
    private Set<UUID> teamIds = Set.of();
    private long agentVersion;
    private UUID contactId;

    public Principal(Kind kind, UUID accountId, UUID agentId, String role, String subject, String token, Instant expiresAt) {
        this.kind = kind;
        this.accountId = accountId;
        this.agentId = agentId;
        this.role = role;
        this.subject = subject;
        this.token = token;
        this.expiresAt = expiresAt;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isAgent() {
        return kind == Kind.AGENT;
    }

    public boolean isCustomer() {
        return kind == Kind.CUSTOMER;
    }

    public UUID accountId() {
        return accountId;
    }

    public UUID agentId() {
        return agentId;
    }

    public String role() {
        return role;
    }

    public String subject() {
        return subject;
    }

    /** Supervisors and admins see the whole account (same rule as the conversations service). */
    public boolean seesWholeAccount() {
        return isAgent() && ("supervisor".equals(role) || "admin".equals(role));
    }

    public String token() {
        return token;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** A fresh token for the same identity (auth frame). */
    public void refresh(String newToken, Instant newExpiry) {
        this.token = newToken;
        this.expiresAt = newExpiry;
    }

    public boolean sameIdentity(Principal other) {
        return kind == other.kind && accountId.equals(other.accountId) && java.util.Objects.equals(agentId, other.agentId)
                && java.util.Objects.equals(subject, other.subject);
    }

    public Set<UUID> inboxIds() {
        return inboxIds;
    }

    public Set<UUID> teamIds() {
        return teamIds;
    }

    public long agentVersion() {
        return agentVersion;
    }

    /** Applies memberships of a given agent version; older versions are ignored. Returns whether they changed. */
    public boolean applyMemberships(long version, Set<UUID> inboxes, Set<UUID> teams) {
        if (version <= agentVersion) {
            return false;
        }
        boolean changed = !inboxes.equals(inboxIds) || !teams.equals(teamIds);
        agentVersion = version;
        inboxIds = Set.copyOf(inboxes);
        teamIds = Set.copyOf(teams);
        return changed;
    }

    public UUID contactId() {
        return contactId;
    }

    public void contactId(UUID contactId) {
        this.contactId = contactId;
    }
}
