package io.switchboard.conversations.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.AgentRole;
import io.switchboard.conversations.domain.InboxChannel;
import io.switchboard.conversations.domain.InboxView;
import io.switchboard.conversations.domain.TeamView;
import io.switchboard.conversations.rest.dto.CreateAccountRequest;
import io.switchboard.conversations.rest.dto.CreateAgentRequest;
import io.switchboard.conversations.rest.dto.CreateInboxRequest;
import io.switchboard.conversations.rest.dto.CreateTeamRequest;
import io.switchboard.conversations.rest.dto.SendMessageRequest;
import io.switchboard.conversations.rest.dto.StartConversationRequest;
import io.switchboard.conversations.security.Caller;
import io.switchboard.conversations.service.AgentService;
import io.switchboard.conversations.service.ConversationService;
import io.switchboard.conversations.service.DirectoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Seeds the demo account at start-up (dev builds, {@code demo.enabled=true}, which ./run.sh
 * sets): an admin, two agents and a supervisor to sign in as, two simulated colleagues, an inbox, a team and
 * a few waiting customers. Runs once: an existing demo account is left as it is.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DemoData {

    private static final Logger LOG = Logger.getLogger(DemoData.class);

    @ConfigProperty(name = "demo.enabled", defaultValue = "false")
    boolean enabled;

    @Inject
    DirectoryService directory;

    @Inject
    AgentService agents;

    @Inject
    ConversationService conversations;

    void onStart(@Observes StartupEvent start) {
        if (enabled) {
            QuarkusTransaction.requiringNew().run(this::seedOnce);
        }
    }

    private void seedOnce() {
        if (DemoAccount.find().isPresent()) {
            LOG.infof("Demo account \"%s\" exists; not seeding again", DemoAccount.NAME);
            return;
        }
        var created = directory.createAccount(DemoAccount.operator(), new CreateAccountRequest(DemoAccount.NAME, "Europe/Berlin",
                new CreateAccountRequest.NewAdmin("Ada Admin", DemoAccount.email("Ada Admin"))));
        UUID accountId = created.account().id();
        Caller admin = DemoAccount.agent(Agent.findById(created.admin().id()));
        InboxView website = directory.createInbox(admin, new CreateInboxRequest("Website", InboxChannel.WEB_WIDGET));
        TeamView support = directory.createTeam(admin, new CreateTeamRequest("Support"));
        for (String name : DemoAccount.PEOPLE) {
            AgentRole role = name.contains("Supervisor") ? AgentRole.SUPERVISOR : AgentRole.AGENT;
            addAgent(accountId, name, role, website, support, admin);
        }
        for (String name : DemoAccount.SIMULATED) {
            addAgent(accountId, name, AgentRole.AGENT, website, support, admin);
        }
        var account = DemoAccount.find().orElseThrow();
        List<String[]> waiting = List.of(
                new String[] {"Maria Lopez", "Hi! My invoice shows the wrong VAT number."},
                new String[] {"Tom Becker", "The export to CSV has been spinning for ten minutes."},
                new String[] {"Yuki Tanaka", "Can I change the plan of my team mid-month?"});
        for (String[] customer : waiting) {
            Caller caller = DemoAccount.customer(account, "demo-" + customer[0].toLowerCase().replace(' ', '-'), customer[0]);
            conversations.start(caller, new StartConversationRequest(website.id(),
                    new SendMessageRequest(null, customer[1], null, null, null)));
        }
        LOG.infof("Seeded demo account \"%s\" (%s)", DemoAccount.NAME, accountId);
    }

    private void addAgent(UUID accountId, String name, AgentRole role, InboxView inbox, TeamView team, Caller admin) {
        agents.create(accountId, new CreateAgentRequest(name, DemoAccount.email(name), role, List.of(inbox.id()), List.of(team.id())),
                admin.actor());
    }
}
