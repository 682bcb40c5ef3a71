package io.switchboard.conversations.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.conversations.domain.Attachment;
import io.switchboard.conversations.domain.Conversation;
import io.switchboard.conversations.domain.ConversationStatus;
import io.switchboard.conversations.domain.DeliveryStatus;
import io.switchboard.conversations.domain.LowercaseEnumConverter;
import io.switchboard.conversations.domain.Message;
import io.switchboard.conversations.domain.MessageType;
import io.switchboard.conversations.domain.Priority;
import io.switchboard.conversations.domain.SenderKind;
import io.switchboard.conversations.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rows the message writer reads and writes, in multi-row statements on the caller's connection (plain JDBC:
 * the hot write path skips the ORM session). Column spellings and value forms are the entities' mappings
 * (lowercase enum names, JSON attachments), so either path reads what the other wrote.
 */
@ApplicationScoped
public class MessageRows {

    private static final TypeReference<List<Attachment>> ATTACHMENTS = new TypeReference<>() {
    };

    private static final String CONTACTS_SQL = """
            SELECT c.account_id, c.external_id, c.id FROM conversations.contacts c
            JOIN unnest(?::uuid[], ?::text[]) AS k(account_id, external_id)
              ON c.account_id = k.account_id AND c.external_id = k.external_id""";

    private static final String MEMBERSHIPS_SQL = """
            SELECT true, agent_id, inbox_id FROM conversations.agent_inboxes WHERE agent_id = ANY (?::uuid[])
            UNION ALL
            SELECT false, agent_id, team_id FROM conversations.agent_teams WHERE agent_id = ANY (?::uuid[])""";

    private static final String CONVERSATIONS_SQL = """
            SELECT id, account_id, inbox_id, contact_id, team_id, assignee_id, status, snoozed_until, archived, priority,
                   waiting_since, first_reply_at, last_activity_at, resolved_at, agent_unread_count, customer_unread_count,
                   last_message_preview, version, created_at, updated_at
            FROM conversations.conversations WHERE id = ANY (?::uuid[]) FOR NO KEY UPDATE SKIP LOCKED""";

    private static final String EXISTING_SQL = "SELECT id FROM conversations.conversations WHERE id = ANY (?::uuid[])";

    private static final String MESSAGES_BY_CLIENT_ID_SQL = """
            SELECT m.id, m.account_id, m.conversation_id, m.sender_kind, m.sender_id, m.message_type, m.content,
                   m.attachments::text, m.private_note, m.status, m.client_message_id, m.version, m.created_at, m.updated_at
            FROM conversations.messages m
            JOIN unnest(?::uuid[], ?::text[]) AS k(conversation_id, client_message_id)
              ON m.conversation_id = k.conversation_id AND m.client_message_id = k.client_message_id""";

    private static final String INSERT_MESSAGE_SQL = """
            INSERT INTO conversations.messages (id, account_id, conversation_id, sender_kind, sender_id, message_type,
                content, attachments, private_note, status, client_message_id, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""";

    /** Every column but the key, the account and the creation time: what a change may touch, set as a whole. */
    private static final String UPDATE_CONVERSATIONS_SQL = """
            UPDATE conversations.conversations c SET inbox_id = v.inbox_id, contact_id = v.contact_id, team_id = v.team_id,
                assignee_id = v.assignee_id, status = v.status, snoozed_until = v.snoozed_until, archived = v.archived,
                priority = v.priority, waiting_since = v.waiting_since, first_reply_at = v.first_reply_at,
                last_activity_at = v.last_activity_at, resolved_at = v.resolved_at, agent_unread_count = v.agent_unread_count,
                customer_unread_count = v.customer_unread_count, last_message_preview = v.last_message_preview,
                version = v.version, updated_at = v.updated_at
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[], ?::boolean[],
                        ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::int[], ?::int[],
                        ?::text[], ?::bigint[], ?::timestamptz[])
                AS v(id, inbox_id, contact_id, team_id, assignee_id, status, snoozed_until, archived, priority, waiting_since,
                     first_reply_at, last_activity_at, resolved_at, agent_unread_count, customer_unread_count,
                     last_message_preview, version, updated_at)
            WHERE c.id = v.id""";

    @Inject
    ObjectMapper json;

    /** A message's idempotency key. */
    public record ClientId(UUID conversationId, String clientMessageId) {
    }

    private record ContactKey(UUID accountId, String externalId) {
    }

    private record Membership(UUID agentId, UUID groupId) {
    }

    /** The callers' contacts and group memberships, read once for a batch. */
    public static final class Facts implements ConversationAccess.CallerFacts {

        private final Map<ContactKey, UUID> contacts = new HashMap<>();
        private final Set<Membership> inboxes = new HashSet<>();
        private final Set<Membership> teams = new HashSet<>();

        @Override
        public UUID contactId(Caller customer) {
            return contacts.get(new ContactKey(customer.accountId(), customer.subject()));
        }

        @Override
        public boolean inInbox(UUID agentId, UUID inboxId) {
            return inboxes.contains(new Membership(agentId, inboxId));
        }

        @Override
        public boolean inTeam(UUID agentId, UUID teamId) {
            return teams.contains(new Membership(agentId, teamId));
        }
    }

    public Facts facts(Connection connection, List<Caller> callers) throws SQLException {
        Facts facts = new Facts();
        List<UUID> accounts = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        Set<UUID> agents = new HashSet<>();
        for (Caller caller : callers) {
            if (caller.isCustomer()) {
                accounts.add(caller.accountId());
                subjects.add(caller.subject());
            } else if (caller.isAgent() && !caller.seesWholeAccount()) {
                agents.add(caller.agentId());
            }
        }
        if (!accounts.isEmpty()) {
            List<Array> keys = List.of(connection.createArrayOf("uuid", accounts.toArray()), connection.createArrayOf("text", subjects.toArray()));
            query(connection, CONTACTS_SQL, keys,
                    row -> facts.contacts.put(new ContactKey(row.getObject(1, UUID.class), row.getString(2)), row.getObject(3, UUID.class)));
        }
        if (!agents.isEmpty()) {
            Array ids = connection.createArrayOf("uuid", agents.toArray());
            query(connection, MEMBERSHIPS_SQL, List.of(ids, ids), row -> {
                Membership membership = new Membership(row.getObject(2, UUID.class), row.getObject(3, UUID.class));
                (row.getBoolean(1) ? facts.inboxes : facts.teams).add(membership);
            });
        }
        return facts;
    }

    /**
     * The conversations, row-locked for this transaction; one whose row another transaction has locked is left
     * out without waiting (as is one that does not exist: {@link #existing} tells them apart).
     */
    public Map<UUID, Conversation> lockConversations(Connection connection, Collection<UUID> ids) throws SQLException {
        Map<UUID, Conversation> found = new HashMap<>();
        query(connection, CONVERSATIONS_SQL, List.of(connection.createArrayOf("uuid", ids.toArray())), row -> {
            Conversation c = new Conversation();
            c.id = row.getObject(1, UUID.class);
            c.accountId = row.getObject(2, UUID.class);
            c.inboxId = row.getObject(3, UUID.class);
            c.contactId = row.getObject(4, UUID.class);
            c.teamId = row.getObject(5, UUID.class);
            c.assigneeId = row.getObject(6, UUID.class);
            c.status = enumOf(ConversationStatus.class, row.getString(7));
            c.snoozedUntil = instant(row, 8);
            c.archived = row.getBoolean(9);
            c.priority = enumOf(Priority.class, row.getString(10));
            c.waitingSince = instant(row, 11);
            c.firstReplyAt = instant(row, 12);
            c.lastActivityAt = instant(row, 13);
            c.resolvedAt = instant(row, 14);
            c.agentUnreadCount = row.getInt(15);
            c.customerUnreadCount = row.getInt(16);
            c.lastMessagePreview = row.getString(17);
            c.version = row.getLong(18);
            c.createdAt = instant(row, 19);
            c.updatedAt = instant(row, 20);
            found.put(c.id, c);
        });
        return found;
    }

    /** Which of {@code ids} are conversations (a plain read: it waits for nobody). */
    public Set<UUID> existing(Connection connection, Collection<UUID> ids) throws SQLException {
        Set<UUID> found = new HashSet<>();
        query(connection, EXISTING_SQL, List.of(connection.createArrayOf("uuid", ids.toArray())),
                row -> found.add(row.getObject(1, UUID.class)));
        return found;
    }

    public Map<ClientId, Message> messagesByClientId(Connection connection, List<ClientId> keys) throws SQLException {
        Map<ClientId, Message> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        query(connection, MESSAGES_BY_CLIENT_ID_SQL, List.of(
                connection.createArrayOf("uuid", keys.stream().map(ClientId::conversationId).toArray()),
                connection.createArrayOf("text", keys.stream().map(ClientId::clientMessageId).toArray())), row -> {
            Message m = new Message();
            m.id = row.getObject(1, UUID.class);
            m.accountId = row.getObject(2, UUID.class);
            m.conversationId = row.getObject(3, UUID.class);
            m.senderKind = enumOf(SenderKind.class, row.getString(4));
            m.senderId = row.getObject(5, UUID.class);
            m.messageType = enumOf(MessageType.class, row.getString(6));
            m.content = row.getString(7);
            m.attachments = new ArrayList<>(attachments(row.getString(8)));
            m.privateNote = row.getBoolean(9);
            m.status = enumOf(DeliveryStatus.class, row.getString(10));
            m.clientMessageId = row.getString(11);
            m.version = row.getLong(12);
            m.createdAt = instant(row, 13);
            m.updatedAt = instant(row, 14);
            found.put(new ClientId(m.conversationId, m.clientMessageId), m);
        });
        return found;
    }

    /** One statement for all of them (the pool rewrites a batch of inserts into a multi-row insert). */
    public void insertMessages(Connection connection, List<Message> messages) throws SQLException {
        if (messages.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGE_SQL)) {
            for (Message m : messages) {
                insert.setObject(1, m.id);
                insert.setObject(2, m.accountId);
                insert.setObject(3, m.conversationId);
                insert.setString(4, LowercaseEnumConverter.wire(m.senderKind));
                insert.setObject(5, m.senderId, Types.OTHER);
                insert.setString(6, LowercaseEnumConverter.wire(m.messageType));
                insert.setString(7, m.content);
                insert.setString(8, writeAttachments(m.attachments));
                insert.setBoolean(9, m.privateNote);
                insert.setString(10, LowercaseEnumConverter.wire(m.status));
                insert.setString(11, m.clientMessageId);
                insert.setLong(12, m.version);
                insert.setObject(13, offset(m.createdAt));
                insert.setObject(14, offset(m.updatedAt));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Writes each conversation's state as it is now, in one statement. */
    public void updateConversations(Connection connection, Collection<Conversation> conversations) throws SQLException {
        if (conversations.isEmpty()) {
            return;
        }
        int n = conversations.size();
        Object[][] columns = new Object[18][n];
        int i = 0;
        for (Conversation c : conversations) {
            Object[] values = {c.id, c.inboxId, c.contactId, c.teamId, c.assigneeId, LowercaseEnumConverter.wire(c.status),
                    timestamp(c.snoozedUntil), c.archived, LowercaseEnumConverter.wire(c.priority), timestamp(c.waitingSince),
                    timestamp(c.firstReplyAt), timestamp(c.lastActivityAt), timestamp(c.resolvedAt), c.agentUnreadCount,
            c.customerUnreadCount, c.lastMessagePreview, c.version, timestamp(c.updatedAt)};
            for (int column = 0; column < values.length; column++) {
                columns[column][i] = values[column];
            }
            i++;
        }
        String[] types = {"uuid", "uuid", "uuid", "uuid", "uuid", "text", "timestamptz", "boolean", "text", "timestamptz",
                "timestamptz", "timestamptz", "timestamptz", "int4", "int4", "text", "int8", "timestamptz"};
        try (PreparedStatement update = connection.prepareStatement(UPDATE_CONVERSATIONS_SQL)) {
            for (int column = 0; column < types.length; column++) {
                update.setArray(column + 1, connection.createArrayOf(types[column], columns[column]));
            }
            int updated = update.executeUpdate();
            if (updated != n) {
                throw new SQLException("updated " + updated + " of " + n + " conversations");
            }
        }
    }

    /** One row of a query's answer, read by the caller. */
    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs {@code sql} with array parameters ($1, $2, …) and hands each row of its answer to {@code reader}. */
    private static void query(Connection connection, String sql, List<Array> parameters, RowReader reader) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setArray(i + 1, parameters.get(i));
            }
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    reader.read(row);
                }
            }
        }
    }

    private List<Attachment> attachments(String text) {
        try {
            return text == null ? List.of() : json.readValue(text, ATTACHMENTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attachments are not the documented JSON", e);
        }
    }

    private String writeAttachments(List<Attachment> attachments) {
        try {
            return json.writeValueAsString(attachments == null ? List.of() : attachments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attachments could not be written as JSON", e);
        }
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String wire) {
        return wire == null ? null : Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** An array element: ISO-8601 with its offset, so the session's time zone plays no part. */
    private static String timestamp(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
