package io.switchboard.gateway.auth;

import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.mutiny.Uni;
import io.switchboard.gateway.client.CallFailures;
import io.switchboard.gateway.client.ConversationsApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Loads what per-event authorization needs about a new connection: an agent's memberships, a customer's
 * contact. A reconnect wave (every client of a stopped instance at once) would otherwise put thousands of
 * requests into the REST client's connection pool, where they time out and their clients are closed with
 * 1011 to retry; the bulkhead runs a bounded number at a time and queues the rest, so a wave is absorbed at
 * the conversations service's pace instead. Both limits are configurable
 * ({@code quarkus.fault-tolerance."io.switchboard.gateway.auth.IdentityLoader/load".bulkhead.*}).
 */
@ApplicationScoped
public class IdentityLoader {

    @Inject
    @RestClient
    ConversationsApi conversations;

    @AsynchronousNonBlocking
    @Bulkhead(value = 32, waitingTaskQueue = 50_000)
    public Uni<Principal> load(Principal principal) {
        String bearer = "Bearer " + principal.token();
        if (principal.isAgent()) {
            return conversations.me(bearer).map(agent -> {
                principal.applyMemberships(agent.version(), new HashSet<>(agent.inboxIds()), new HashSet<>(agent.teamIds()));
                return principal;
            });
        }
        // a customer who never wrote has no contact yet; it is learned when they subscribe to their conversation
        return conversations.myContact(bearer)
                .map(contact -> {
                    principal.contactId(contact.id());
                    return principal;
                })
                .onFailure(f -> CallFailures.status(f) == 404).recoverWithItem(principal);
    }
}
