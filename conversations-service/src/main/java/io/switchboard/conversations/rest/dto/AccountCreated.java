package io.switchboard.conversations.rest.dto;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.conversations.domain.AccountView;
import io.switchboard.conversations.domain.AgentView;

@RegisterForReflection(registerFullHierarchy = true)
public record AccountCreated(AccountView account, AgentView admin) {
}
