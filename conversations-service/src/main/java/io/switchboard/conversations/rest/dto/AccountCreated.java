package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.AccountView;
import io.switchboard.conversations.domain.AgentView;

public record AccountCreated(AccountView account, AgentView admin) {
}
