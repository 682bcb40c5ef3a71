package io.switchboard.conversations.service;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.conversations.domain.Account;
import io.switchboard.conversations.domain.AccountView;
import io.switchboard.conversations.domain.AgentRole;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.ContactView;
import io.switchboard.conversations.domain.Inbox;
import io.switchboard.conversations.domain.InboxView;
import io.switchboard.conversations.domain.Team;
import io.switchboard.conversations.domain.TeamView;
import io.switchboard.conversations.events.DomainEvents;
import io.switchboard.conversations.events.EventPublisher;
import io.switchboard.conversations.rest.dto.AccountCreated;
import io.switchboard.conversations.rest.dto.CreateAccountRequest;
import io.switchboard.conversations.rest.dto.CreateAgentRequest;
import io.switchboard.conversations.rest.dto.CreateInboxRequest;
import io.switchboard.conversations.rest.dto.CreateTeamRequest;
import io.switchboard.conversations.rest.dto.Page;
import io.switchboard.conversations.rest.dto.UpdateAccountRequest;
import io.switchboard.conversations.rest.problem.Problems;
import io.switchboard.conversations.security.Caller;
import io.switchboard.eventlog.Actor;
import io.switchboard.eventlog.EventCursor;
import io.switchboard.eventlog.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Accounts, inboxes, teams and contacts: the directory every conversation refers to. */
@ApplicationScoped
public class DirectoryService {

    @Inject
    EventPublisher events;

    @Inject
    DomainEvents domainEvents;

    @Inject
    AgentService agents;

    @Inject
    TimeSource time;

    @Inject
    PageLimits pageLimits;

    @Transactional
    public AccountCreated createAccount(Caller operator, CreateAccountRequest request) {
        events.announce();
        String zone = validZone(request.timeZone());
        Instant now = time.now();
        Account account = new Account();
        account.id = Ids.newId();
        account.name = request.name();
        account.timeZone = zone;
        account.version = 1;
        account.createdAt = now;
        account.updatedAt = now;
        account.persist();
        events.publish(domainEvents.accountCreated(account, operator.actor()));
        var admin = agents.create(account.id, new CreateAgentRequest(request.admin().name(), request.admin().email(),
                AgentRole.ADMIN, null, null), operator.actor());
        return new AccountCreated(AccountView.of(account), admin);
    }

    public AccountView account(Caller caller) {
        return AccountView.of(requireAccount(caller.accountId()));
    }

    @Transactional
    public AccountView updateAccount(Caller admin, UpdateAccountRequest request) {
        String zone = request.timeZone() == null ? null : validZone(request.timeZone());
        events.lockAggregates(admin.accountId());
        Account account = requireAccount(admin.accountId());
        AccountView before = AccountView.of(account);
        boolean changed = false;
        if (request.name() != null && !request.name().equals(account.name)) {
            account.name = request.name();
            changed = true;
        }
        if (zone != null && !Objects.equals(zone, account.timeZone)) {
            account.timeZone = zone;
            changed = true;
        }
        if (changed) {
            account.version++;
            account.updatedAt = time.now();
            events.publish(domainEvents.accountUpdated(before, account, admin.actor()));
        }
        return AccountView.of(account);
    }

    @Transactional
    public InboxView createInbox(Caller admin, CreateInboxRequest request) {
        events.announce();
        Inbox inbox = new Inbox();
        inbox.id = Ids.newId();
        inbox.accountId = admin.accountId();
        inbox.name = request.name();
        inbox.channel = request.channel();
        inbox.createdAt = time.now();
        inbox.persist();
        events.publish(domainEvents.inboxCreated(inbox, admin.actor()));
        return InboxView.of(inbox);
    }

    public List<InboxView> inboxes(Caller caller) {
        return Inbox.<Inbox>list("accountId", Sort.by("name").and("id"), caller.accountId()).stream().map(InboxView::of).toList();
    }

    public InboxView inbox(Caller caller, UUID id) {
        Inbox inbox = Inbox.findById(id);
        if (inbox == null || !inbox.accountId.equals(caller.accountId())) {
            throw Problems.notFound("inbox");
        }
        return InboxView.of(inbox);
    }

    @Transactional
    public TeamView createTeam(Caller admin, CreateTeamRequest request) {
        events.announce();
        Team team = new Team();
        team.id = Ids.newId();
        team.accountId = admin.accountId();
        team.name = request.name();
        team.createdAt = time.now();
        team.persist();
        events.publish(domainEvents.teamCreated(team, admin.actor()));
        return TeamView.of(team);
    }

    public List<TeamView> teams(Caller caller) {
        return Team.<Team>list("accountId", Sort.by("name").and("id"), caller.accountId()).stream().map(TeamView::of).toList();
    }

    public TeamView team(Caller caller, UUID id) {
        Team team = Team.findById(id);
        if (team == null || !team.accountId.equals(caller.accountId())) {
            throw Problems.notFound("team");
        }
        return TeamView.of(team);
    }

    public Page<ContactView> contacts(Caller caller, String cursor, Integer limit) {
        int size = pageLimits.resolve(limit);
        KeysetCursor after = KeysetCursor.parse(cursor);
        EventCursor eventCursor = events.head();
        String where = "accountId = :account";
        Parameters params = Parameters.with("account", caller.accountId());
        if (after != null) {
            where += " and (createdAt < :at or (createdAt = :at and id < :id))";
            params.and("at", after.at()).and("id", after.id());
        }
        List<Contact> rows = Contact.<Contact>find(where + " order by createdAt desc, id desc", params).range(0, size).list();
        return Pages.of(rows, size, c -> new KeysetCursor(c.createdAt, c.id), ContactView::of, eventCursor);
    }

    public ContactView contact(Caller caller, UUID id) {
        Contact contact = Contact.findById(id);
        if (contact == null || !contact.accountId.equals(caller.accountId())) {
            throw Problems.notFound("contact");
        }
        return ContactView.of(contact);
    }

    private static Account requireAccount(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw Problems.notFound("account");
        }
        return account;
    }

    private static String validZone(String zone) {
        if (zone == null || zone.isBlank()) {
            return "UTC";
        }
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw Problems.validation("timeZone", "is not an IANA time zone such as Europe/Berlin");
        }
    }
}
