package io.switchboard.conversations.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.panache.common.Sort;
import io.switchboard.conversations.domain.Account;
import io.switchboard.conversations.domain.Agent;
import io.switchboard.conversations.domain.Inbox;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Who one can sign in as locally (the console's and widget's sign-in pickers): accounts with their agents
 * and inboxes. Like the token issuer it exists only in dev builds.
 */
@IfBuildProfile("dev")
@Path("/dev/identities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@PermitAll
@Tag(name = "Development")
public class DevIdentitiesResource {

    public record Identity(UUID id, String name, String role) {
    }

    public record AccountIdentities(UUID id, String name, List<Identity> agents, List<Identity> inboxes) {
    }

    @GET
    @Operation(summary = "Accounts, their agents and inboxes, for the local sign-in (dev profile only)")
    public List<AccountIdentities> list() {
        return Account.<Account>listAll(Sort.by("createdAt").descending()).stream()
                .map(account -> new AccountIdentities(account.id, account.name,
                        Agent.<Agent>list("accountId", Sort.by("name"), account.id).stream()
                                .map(agent -> new Identity(agent.id, agent.name, agent.role.name().toLowerCase(Locale.ROOT)))
                                .toList(),
                        Inbox.<Inbox>list("accountId", Sort.by("name"), account.id).stream()
                                .map(inbox -> new Identity(inbox.id, inbox.name, null))
                                .toList()))
                .toList();
    }
}
