-- Eight messages in one transaction with multi-row statements (seven statements for eight messages): the
-- shape a group-commit writer gathering concurrent requests would send.
\set i0 random(1, 400)
\set i1 random(1, 400)
\set i2 random(1, 400)
\set i3 random(1, 400)
\set i4 random(1, 400)
\set i5 random(1, 400)
\set i6 random(1, 400)
\set i7 random(1, 400)
\set k random(1, 1000000000)
BEGIN;
SELECT event_log.begin_writer(ARRAY[:i0::bigint, :i1::bigint, :i2::bigint, :i3::bigint, :i4::bigint, :i5::bigint, :i6::bigint, :i7::bigint]);
SELECT * FROM conversations.conversations WHERE id = ANY (ARRAY[bench_conversation(:i0), bench_conversation(:i1), bench_conversation(:i2), bench_conversation(:i3), bench_conversation(:i4), bench_conversation(:i5), bench_conversation(:i6), bench_conversation(:i7)]);
SELECT id FROM conversations.contacts WHERE account_id = '00000000-0000-0000-0000-000000000001'
  AND external_id = ANY (ARRAY['bench-' || :i0, 'bench-' || :i1, 'bench-' || :i2, 'bench-' || :i3, 'bench-' || :i4, 'bench-' || :i5, 'bench-' || :i6, 'bench-' || :i7]);
SELECT * FROM conversations.messages m JOIN unnest(ARRAY[bench_conversation(:i0), bench_conversation(:i1), bench_conversation(:i2), bench_conversation(:i3), bench_conversation(:i4), bench_conversation(:i5), bench_conversation(:i6), bench_conversation(:i7)]) WITH ORDINALITY AS batch(conversation_id, n)
  ON m.conversation_id = batch.conversation_id AND m.client_message_id = 'cm-' || batch.n || '-' || :k;
INSERT INTO event_log.events (event_id, event_type, account_id, aggregate_type, aggregate_id, aggregate_version, occurred_at, actor_type, actor_id, scope_inbox_id, scope_team_id, scope_assignee_id, scope_contact_id, scope_private, payload)
  SELECT gen_random_uuid(), event_type, '00000000-0000-0000-0000-000000000001', aggregate_type, gen_random_uuid(), aggregate_version, now(),
         'customer', null, '00000000-0000-0000-0000-000000000002', null, null, null, false, payload FROM bench_event CROSS JOIN generate_series(1, 8);
INSERT INTO conversations.messages (id, account_id, conversation_id, sender_kind, sender_id, message_type, content, attachments, private_note, status, client_message_id, version, created_at, updated_at)
  SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', conversation_id, 'customer', null, 'text', 'benchmark message', '[]', false, 'sent',
         'cm-' || n || '-' || :k, 1, now(), now()
  FROM unnest(ARRAY[bench_conversation(:i0), bench_conversation(:i1), bench_conversation(:i2), bench_conversation(:i3), bench_conversation(:i4), bench_conversation(:i5), bench_conversation(:i6), bench_conversation(:i7)]) WITH ORDINALITY AS batch(conversation_id, n);
UPDATE conversations.conversations c SET last_activity_at = clock_timestamp(), last_message_preview = 'benchmark message', agent_unread_count = agent_unread_count + 1,
    waiting_since = coalesce(waiting_since, now()), version = version + 1, updated_at = now()
  FROM (SELECT DISTINCT unnest(ARRAY[bench_conversation(:i0), bench_conversation(:i1), bench_conversation(:i2), bench_conversation(:i3), bench_conversation(:i4), bench_conversation(:i5), bench_conversation(:i6), bench_conversation(:i7)]) AS id) batch WHERE c.id = batch.id;
END;
