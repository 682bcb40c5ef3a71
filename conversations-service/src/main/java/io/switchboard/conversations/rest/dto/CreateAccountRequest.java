package io.switchboard.conversations.rest.dto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A new tenant and its first admin. */
public record CreateAccountRequest(
        @NotBlank @Size(max = 200) String name,
        @Size(max = 64) String timeZone,
        @NotNull @Valid NewAdmin admin) {

    public record NewAdmin(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 320) @jakarta.validation.constraints.Email String email) {
    }
}
