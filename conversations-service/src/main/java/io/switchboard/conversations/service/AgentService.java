package io.switchboard.conversations.service;

import io.quarkus.panache.common.Sort;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.AgentStatus;
import io.switchboard.conversations.domain.AgentView;
import io.switchboard.conversations.domain.Inbox;
import io.switchboard.conversations.domain.Team;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.dto.CreateAgentRequest;
import io.switchboard.conversations.rest.dto.MembershipsRequest;
import io.switchboard.conversations.rest.dto.UpdateAgentRequest;
import io.switchboard.conversations.rest.problem.Problem;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventTypes;
import io.switchboard.eventlog.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Agents: the directory (admins), memberships, and the status each agent chooses. */
@ApplicationScoped
public class AgentService {

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    TimeSource time;

    /** Creates an agent of {@code accountId}; its email is unique within the account (case-insensitive). */
    @Transactional
    public AgentView create(UUID accountId, CreateAgentRequest request, Actor actor) {
        Set<UUID> inboxIds = request.inboxIds() == null ? Set.of() : Set.copyOf(request.inboxIds());
        Set<UUID> teamIds = request.teamIds() == null ? Set.of() : Set.copyOf(request.teamIds());
        requireMembershipTargets(accountId, inboxIds, teamIds);
        String email = request.email().trim();
        // Concurrent creations with one email must not both pass the check: serialize on the email.
        events.lockAggregates(UUID.nameUUIDFromBytes((accountId + "/" + email.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8)));
        if (Agent.count("accountId = ?1 and lower(email) = ?2", accountId, email.toLowerCase(Locale.ROOT)) > 0) {
            throw Problems.conflict("email-taken", "Email taken", "an agent of this account already uses this email");
        }
        Instant now = time.now();
        Agent agent = new Agent();
        agent.id = Ids.newId();
        agent.accountId = accountId;
        agent.name = request.name();
        agent.email = email;
        agent.role = request.role();
        agent.status = AgentStatus.OFFLINE;
        agent.statusChangedAt = now;
        agent.version = 1;
        agent.createdAt = now;
        agent.updatedAt = now;
        agent.inboxIds = new HashSet<>(inboxIds);
        agent.teamIds = new HashSet<>(teamIds);
        agent.persist();
        events.publish(domainEvents.agentCreated(agent, actor));
        return AgentView.of(agent);
    }

    public List<AgentView> list(Caller caller) {
        return Agent.<Agent>list("accountId", Sort.by("name").and("id"), caller.accountId()).stream().map(AgentView::of).toList();
    }

    public AgentView get(Caller caller, UUID id) {
        return AgentView.of(require(caller, id));
    }

    @Transactional
    public AgentView update(Caller admin, UUID id, UpdateAgentRequest request) {
        return change(admin, id, EventTypes.AGENT_UPDATED, agent -> {
            boolean changed = false;
            if (request.name() != null && !request.name().equals(agent.name)) {
                agent.name = request.name();
                changed = true;
            }
            if (request.role() != null && request.role() != agent.role) {
                agent.role = request.role();
                changed = true;
            }
            return changed;
        });
    }

    @Transactional
    public AgentView setMemberships(Caller admin, UUID id, MembershipsRequest request) {
        Set<UUID> inboxIds = Set.copyOf(request.inboxIds());
        Set<UUID> teamIds = Set.copyOf(request.teamIds());
        requireMembershipTargets(admin.accountId(), inboxIds, teamIds);
        return change(admin, id, EventTypes.AGENT_MEMBERSHIPS_CHANGED, agent -> {
            if (agent.inboxIds.equals(inboxIds) && agent.teamIds.equals(teamIds)) {
                return false;
            }
            agent.inboxIds.clear();
            agent.inboxIds.addAll(inboxIds);
            agent.teamIds.clear();
            agent.teamIds.addAll(teamIds);
            return true;
        });
    }

    /** An agent sets its own status; supervisors and admins may set anyone's. */
    @Transactional
    public AgentView setStatus(Caller caller, UUID id, AgentStatus status) {
        if (!id.equals(caller.agentId()) && !caller.seesWholeAccount() && !caller.isService()) {
            throw Problems.forbidden("agents set their own status only");
        }
        return change(caller, id, EventTypes.AGENT_STATUS_CHANGED, agent -> {
            if (agent.status == status) {
                return false;
            }
            agent.status = status;
            agent.statusChangedAt = time.now();
            return true;
        });
    }

    private interface AgentMutation {
        boolean apply(Agent agent);
    }

    private AgentView change(Caller caller, UUID id, String eventType, AgentMutation mutation) {
        events.lockAggregates(id);
        Agent agent = require(caller, id);
        AgentView before = AgentView.of(agent);
        if (mutation.apply(agent)) {
            agent.version++;
            agent.updatedAt = time.now();
            events.publish(domainEvents.agentChanged(eventType, before, agent, caller.actor()));
        }
        return AgentView.of(agent);
    }

    /** The agent, within the caller's account (a service token reaches every account). */
    private static Agent require(Caller caller, UUID id) {
        Agent agent = Agent.findById(id);
        if (agent == null || (!caller.isService() && !agent.accountId.equals(caller.accountId()))) {
            throw Problems.notFound("agent");
        }
        return agent;
    }

    private static void requireMembershipTargets(UUID accountId, Set<UUID> inboxIds, Set<UUID> teamIds) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (!inboxIds.isEmpty() && Inbox.count("accountId = ?1 and id in ?2", accountId, inboxIds) != inboxIds.size()) {
            violations.add(new Problem.Violation("inboxIds", "names an inbox that does not exist"));
        }
        if (!teamIds.isEmpty() && Team.count("accountId = ?1 and id in ?2", accountId, teamIds) != teamIds.size()) {
            violations.add(new Problem.Violation("teamIds", "names a team that does not exist"));
        }
        if (!violations.isEmpty()) {
            throw Problems.validation(violations);
        }
    }
}
