package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.DeliveryStatus;
import jakarta.validation.constraints.NotNull;

public record MessageStatusRequest(@NotNull DeliveryStatus status) {
}
