package io.switchboard.conversations.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** A support agent, member of inboxes and teams. */
@Entity
@Table(name = "agents", schema = "conversations")
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID accountId;
    public String name;
    public String email;
    public AgentRole role;
    public AgentStatus status;
    public Instant statusChangedAt;
    public long version;
    public Instant createdAt;
    public Instant updatedAt;

    @ElementCollection
    @CollectionTable(name = "agent_inboxes", schema = "conversations", joinColumns = @JoinColumn(name = "agent_id"))
    @Column(name = "inbox_id")
    public Set<UUID> inboxIds = new HashSet<>();

    @ElementCollection
    @CollectionTable(name = "agent_teams", schema = "conversations", joinColumns = @JoinColumn(name = "agent_id"))
    @Column(name = "team_id")
    public Set<UUID> teamIds = new HashSet<>();
}
