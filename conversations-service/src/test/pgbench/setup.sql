-- The REST benchmark's workload: 1 account, 1 inbox, 400 contacts with a conversation each; the two event
-- payloads of a message write (as the service writes them), shared by the scripts.
CREATE FUNCTION bench_conversation(i int) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT ('00000000-0000-0000-0002-' || lpad(to_hex(i), 12, '0'))::uuid $$;
CREATE FUNCTION bench_contact(i int) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(i), 12, '0'))::uuid $$;
CREATE TABLE bench_event (event_type text, aggregate_type text, aggregate_version bigint, payload json);
INSERT INTO bench_event VALUES
  ('message.created', 'message', 1, '{"version":1,"message":{"id":"0195e0b0-0000-7000-8000-000000000000","conversationId":"0195e0b0-0000-7000-8000-000000000000","senderKind":"customer","senderId":"0195e0b0-0000-7000-8000-000000000000","type":"text","content":"benchmark message 123456","attachments":[],"privateNote":false,"status":"sent","clientMessageId":"0195e0b0-0000-7000-8000-000000000000","version":1,"createdAt":"2026-12-03T03:00:00.123456Z"}}'),
  ('conversation.updated', 'conversation', 2, '{"version":2,"changes":{"lastActivityAt":"2026-12-03T03:00:00.123456Z","lastMessagePreview":"benchmark message 123456","agentUnreadCount":3},"previous":{"lastActivityAt":"2026-12-03T03:00:00.123456Z","lastMessagePreview":"benchmark message 1","agentUnreadCount":2},"conversation":{"id":"0195e0b0-0000-7000-8000-000000000000","status":"open","priority":"medium","inboxId":"0195e0b0-0000-7000-8000-000000000000","teamId":null,"assigneeId":null,"contactId":"0195e0b0-0000-7000-8000-000000000000","archived":false,"waitingSince":"2026-12-03T03:00:00.123456Z","firstReplyAt":null,"lastActivityAt":"2026-12-03T03:00:00.123456Z","resolvedAt":null,"snoozedUntil":null,"agentUnreadCount":3,"customerUnreadCount":0,"lastMessagePreview":"benchmark message 123456","version":2,"createdAt":"2026-12-03T03:00:00.123456Z","updatedAt":"2026-12-03T03:00:00.123456Z"}}');
INSERT INTO conversations.accounts VALUES ('00000000-0000-0000-0000-000000000001', 'bench', 'UTC', 1, now(), now());
INSERT INTO conversations.inboxes VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'web', 'web_widget', now());
INSERT INTO conversations.contacts (id, account_id, external_id, name, created_at)
  SELECT bench_contact(i), '00000000-0000-0000-0000-000000000001', 'bench-' || i, 'c' || i, now() FROM generate_series(1, 400) i;
INSERT INTO conversations.conversations (id, account_id, inbox_id, contact_id, status, priority, last_activity_at, version, created_at, updated_at)
  SELECT bench_conversation(i), '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002',
         bench_contact(i), 'open', 'medium', now(), 1, now(), now() FROM generate_series(1, 400) i;
