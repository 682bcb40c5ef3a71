package io.switchboard.conversations.rest.dto;

import io.switchboard.conversations.domain.Attachment;
import io.switchboard.conversations.domain.MessageType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A new message. {@code clientMessageId} makes a retried POST return the first message instead of
 * writing a second one. The content length limit is checked against configuration in the service.
 */
public record SendMessageRequest(
        MessageType type,
        String content,
        @Size(max = 10) List<@NotNull @Valid Attachment> attachments,
        Boolean privateNote,
        @Size(min = 1, max = 128) @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "may contain letters, digits and . _ : - only")
        String clientMessageId) {
}
