-- One customer message as the service writes it: writer announcement and ordering lock, conversation read, contact lookup,
-- idempotency check, two events, the message, the conversation update, commit. run.sh derives the
-- eight-messages-per-transaction script from this one (statement by statement, one lock statement).
\set i random(1, 400)
\set k random(1, 1000000000)
BEGIN;
SELECT event_log.begin_writer(ARRAY[:i::bigint]);
SELECT * FROM conversations.conversations WHERE id = bench_conversation(:i);
SELECT id FROM conversations.contacts WHERE account_id = '00000000-0000-0000-0000-000000000001' AND external_id = 'bench-' || :i;
SELECT * FROM conversations.messages WHERE conversation_id = bench_conversation(:i) AND client_message_id = 'cm-' || :k;
INSERT INTO event_log.events (event_id, event_type, account_id, aggregate_type, aggregate_id, aggregate_version, occurred_at, actor_type, actor_id, scope_inbox_id, scope_team_id, scope_assignee_id, scope_contact_id, scope_private, payload)
  SELECT gen_random_uuid(), event_type, '00000000-0000-0000-0000-000000000001', aggregate_type, gen_random_uuid(), aggregate_version, now(),
         'customer', null, '00000000-0000-0000-0000-000000000002', null, null, null, false, payload FROM bench_event;
INSERT INTO conversations.messages (id, account_id, conversation_id, sender_kind, sender_id, message_type, content, attachments, private_note, status, client_message_id, version, created_at, updated_at)
  VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', bench_conversation(:i), 'customer', null, 'text', 'benchmark message', '[]', false, 'sent', 'cm-' || :k, 1, now(), now());
UPDATE conversations.conversations SET last_activity_at = clock_timestamp(), last_message_preview = 'benchmark message', agent_unread_count = agent_unread_count + 1,
    waiting_since = coalesce(waiting_since, now()), version = version + 1, updated_at = now()
  WHERE id = bench_conversation(:i);
END;
