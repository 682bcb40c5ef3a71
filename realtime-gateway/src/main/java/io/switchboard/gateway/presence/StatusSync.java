package io.switchboard.gateway.presence;

import io.switchboard.gateway.client.ConversationsApi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Keeps an agent's status in the conversations service consistent with presence: the status it chose
 * (online, busy, away) stands while it is connected anywhere; without connections it is offline; an offline
 * agent that connects becomes online.
 */
@ApplicationScoped
public class StatusSync {

    @Inject
    @RestClient
    ConversationsApi conversations;

    /** Blocking; call from the presence thread. Retries briefly: the status converges on the next change anyway. */
    @Retry(maxRetries = 3, delay = 200)
    @Timeout(value = 3, unit = ChronoUnit.SECONDS)
    public void converge(String bearer, UUID agentId, boolean online) {
        ConversationsApi.AgentInfo agent = conversations.agent(bearer, agentId).await().atMost(Duration.ofSeconds(3));
        if (online && "offline".equals(agent.status())) {
            conversations.setStatus(bearer, agentId, new ConversationsApi.StatusChange("online")).await().atMost(Duration.ofSeconds(3));
        } else if (!online && !"offline".equals(agent.status())) {
            conversations.setStatus(bearer, agentId, new ConversationsApi.StatusChange("offline")).await().atMost(Duration.ofSeconds(3));
        }
    }
}
