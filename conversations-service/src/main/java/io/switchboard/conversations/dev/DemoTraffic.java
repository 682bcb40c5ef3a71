package io.switchboard.conversations.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.conversations.domain.Account;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.Contact;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.CsatRating;
import io.switchboard.conversations.domain.Inbox;
import io.switchboard.conversations.rest.dto.AssignmentRequest;
import io.switchboard.conversations.rest.dto.CsatRequest;
import io.switchboard.conversations.rest.dto.SendMessageRequest;
import io.switchboard.conversations.rest.dto.StartConversationRequest;
import io.switchboard.conversations.rest.dto.UpdateConversationRequest;
import io.switchboard.conversations.rest.problem.ProblemException;
import io.switchboard.conversations.service.ConversationService;
import io.switchboard.conversations.service.CsatService;
import io.switchboard.conversations.service.MessageService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps the demo dashboard alive (dev builds, {@code demo.traffic=true}, ./run.sh --simulate):
 * every tick one thing happens in the demo account through the same services the API uses, so it reaches
 * the event log, the gateway and the metrics like real traffic. Customers start chats, write and rate;
 * the simulated colleagues take unassigned conversations, reply and resolve. Conversations of the people
 * signed in are left to them (customers still write into them).
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DemoTraffic {

    private static final Logger LOG = Logger.getLogger(DemoTraffic.class);
    private static final int ACTIVE_TARGET = 8;
    private static final List<String> CUSTOMERS = List.of("Lena Fischer", "Omar Haddad", "Priya Nair", "Jonas Weber",
            "Chloé Martin", "Diego Alvarez", "Hana Kim", "Lukas Novak", "Amara Obi", "Sven Berg");
    private static final List<String> OPENERS = List.of("Hello, I can't log in since this morning.",
            "Is there a way to add a second admin?", "My card was charged twice this month.",
            "The mobile app crashes when I open settings.", "How do I export last quarter's reports?",
            "Can you extend my trial by a week?");
    private static final List<String> FOLLOW_UPS = List.of("Any news?", "I tried again, same problem.",
            "Here is the order number: 48213.", "Thanks, that helps!", "It works now, but slowly.", "Still waiting…");
    private static final List<String> REPLIES = List.of("Thanks for reaching out — let me check that for you.",
            "I've looked into your account; could you try again now?", "That's fixed on our side. Anything else?",
            "I've forwarded this to billing; you'll get a refund within 3 days.", "Could you send me a screenshot?");

    @ConfigProperty(name = "demo.traffic", defaultValue = "false")
    boolean enabled;

    @Inject
    ConversationService conversations;

    @Inject
    MessageService messages;

    @Inject
    CsatService csat;

    @Scheduled(every = "${demo.traffic-interval:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        if (!enabled) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(this::oneStep);
        } catch (ProblemException e) {
            LOG.debugf("simulated step refused: %s", e.getMessage());
        }
    }

    private void oneStep() {
        Account account = DemoAccount.find().orElse(null);
        if (account == null) {
            return;
        }
        List<Agent> colleagues = Agent.list("accountId = ?1 and name in ?2", account.id, DemoAccount.SIMULATED);
        if (colleagues.isEmpty()) {
            return;
        }
        var random = ThreadLocalRandom.current();
        long active = Conversation.count("accountId = ?1 and archived = false and status <> ?2", account.id, ConversationStatus.RESOLVED);
        double roll = random.nextDouble();
        if (active < ACTIVE_TARGET / 2 || (roll < 0.2 && active < ACTIVE_TARGET * 2)) {
            startChat(account, random);
        } else if (roll < 0.4) {
            customerWrites(account, random);
        } else if (roll < 0.6) {
            colleagueReplies(account, pick(colleagues, random), random);
        } else if (roll < 0.75) {
            colleagueTakesOne(account, pick(colleagues, random));
        } else if (roll < 0.9) {
            colleagueResolves(account, colleagues);
        } else {
            customerRates(account, random);
        }
    }

    private void startChat(Account account, ThreadLocalRandom random) {
        Inbox inbox = Inbox.<Inbox>find("accountId", account.id).firstResult();
        String name = pick(CUSTOMERS, random);
        var customer = DemoAccount.customer(account, "sim-" + name.toLowerCase().replace(' ', '-') + "-" + random.nextInt(1000), name);
        conversations.start(customer, new StartConversationRequest(inbox.id, text(pick(OPENERS, random))));
    }

    private void customerWrites(Account account, ThreadLocalRandom random) {
        Conversation conversation = randomOf(Conversation.find(
                "accountId = ?1 and archived = false and status <> ?2 order by lastActivityAt desc", account.id, ConversationStatus.RESOLVED)
                .page(0, 10).list(), random);
        if (conversation != null) {
            Contact contact = Contact.findById(conversation.contactId);
            messages.send(DemoAccount.customer(contact), conversation.id, text(pick(FOLLOW_UPS, random))).toCompletableFuture().join();
        }
    }

    private void colleagueReplies(Account account, Agent colleague, ThreadLocalRandom random) {
        Conversation waiting = Conversation.find("accountId = ?1 and assigneeId = ?2 and waitingSince is not null and archived = false"
                + " order by waitingSince", account.id, colleague.id).firstResult();
        if (waiting != null) {
            messages.send(DemoAccount.agent(colleague), waiting.id, text(pick(REPLIES, random))).toCompletableFuture().join();
        } else {
            colleagueTakesOne(account, colleague);
        }
    }

    private void colleagueTakesOne(Account account, Agent colleague) {
        Conversation unassigned = Conversation.find("accountId = ?1 and assigneeId is null and archived = false and status <> ?2"
                + " order by waitingSince nulls last", account.id, ConversationStatus.RESOLVED).firstResult();
        if (unassigned != null) {
            conversations.assign(DemoAccount.agent(colleague), unassigned.id, unassigned.version,
                    new AssignmentRequest(colleague.id, unassigned.teamId));
        }
    }

    private void colleagueResolves(Account account, List<Agent> colleagues) {
        Conversation answered = Conversation.find("accountId = ?1 and assigneeId in ?2 and waitingSince is null and firstReplyAt is not null"
                + " and status <> ?3 and archived = false order by lastActivityAt", account.id,
                colleagues.stream().map(agent -> agent.id).toList(), ConversationStatus.RESOLVED).firstResult();
        if (answered != null) {
            Agent assignee = colleagues.stream().filter(agent -> agent.id.equals(answered.assigneeId)).findFirst().orElseThrow();
            conversations.update(DemoAccount.agent(assignee), answered.id, answered.version,
                    new UpdateConversationRequest(ConversationStatus.RESOLVED, null, null));
        }
    }

    private void customerRates(Account account, ThreadLocalRandom random) {
        Conversation resolved = randomOf(Conversation.find("accountId = ?1 and status = ?2 order by resolvedAt desc",
                account.id, ConversationStatus.RESOLVED).page(0, 10).list(), random);
        if (resolved != null && CsatRating.count("conversationId", resolved.id) == 0) {
            Contact contact = Contact.findById(resolved.contactId);
            int rating = random.nextDouble() < 0.75 ? 4 + random.nextInt(2) : 1 + random.nextInt(3);
            csat.rate(DemoAccount.customer(contact), resolved.id, new CsatRequest(rating, null));
        }
    }

    private static SendMessageRequest text(String content) {
        return new SendMessageRequest(null, content, null, null, null);
    }

    private static <T> T pick(List<T> items, ThreadLocalRandom random) {
        return items.get(random.nextInt(items.size()));
    }

    private static <T> T randomOf(List<T> items, ThreadLocalRandom random) {
        return items.isEmpty() ? null : pick(items, random);
    }
}
