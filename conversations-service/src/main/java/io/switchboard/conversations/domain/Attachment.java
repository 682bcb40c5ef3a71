package io.switchboard.conversations.domain;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** A file a message points to; Switchboard stores the link and metadata, never the bytes. */
@RegisterForReflection
public record Attachment(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String url,
        @Size(max = 255) String mimeType,
        @Size(max = 255) String fileName,
        @PositiveOrZero Long sizeBytes,
        @PositiveOrZero Integer width,
        @PositiveOrZero Integer height,
        @PositiveOrZero Double durationSeconds) {
}
