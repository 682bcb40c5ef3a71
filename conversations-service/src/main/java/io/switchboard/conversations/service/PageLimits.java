package io.switchboard.conversations.service;

import io.switchboard.conversations.config.ConversationsConfig;
import io.switchboard.conversations.rest.problem.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Page sizes: the configured default when none is asked for, and a 400 beyond the configured maximum. */
@ApplicationScoped
public class PageLimits {

    @Inject
    ConversationsConfig config;

    public int resolve(Integer requested) {
        if (requested == null) {
            return config.limits().defaultPageSize();
        }
        int max = config.limits().maxPageSize();
        if (requested < 1 || requested > max) {
            throw Problems.validation("limit", "must be between 1 and " + max);
        }
        return requested;
    }
}
