package io.switchboard.conversations.rest.dto;

import jakarta.validation.constraints.Size;

/** Fields to change; absent fields stay as they are. */
public record UpdateAccountRequest(@Size(min = 1, max = 200) String name, @Size(max = 64) String timeZone) {
}
