package io.switchboard.conversations.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Reopens snoozed conversations when their snooze time has passed. */
@ApplicationScoped
public class SnoozeJob {

    private static final int BATCH = 200;

    @Inject
    ConversationService conversations;

    @Scheduled(identity = "wake-snoozed", every = "${conversations.snooze.check-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void wakeSnoozed() {
        int woken;
        do {
            woken = conversations.wakeSnoozed(BATCH);
        } while (woken == BATCH);
    }
}
