-- Writers announce themselves (docs/event-log.md, "Visibility horizon"): a transaction that will write events
-- takes the shared writer lock before it has a transaction id. Readers then hold events back only behind
-- in-progress transactions that are (or may be) writers, not behind every transaction of the cluster.
--
-- The writer lock is the transaction-scoped shared advisory lock (7264030, 1) in the two-key space
-- (pg_locks: classid 7264030, objid 1, objsubid 2), apart from the one-key space of aggregate locks.
-- Nobody takes it exclusively: it is a marker other backends can see in pg_locks.

CREATE FUNCTION event_log.announce_writer() RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('event_log.writer', true) = 'announced' THEN
        RETURN;
    END IF;
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
        RAISE EXCEPTION 'event_log: a transaction that writes events must announce itself before its first write '
                        '(this one already holds transaction id %)', pg_current_xact_id_if_assigned()
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'call EventLogWriter.begin (or SELECT event_log.announce_writer()) first in the transaction';
    END IF;
    PERFORM pg_advisory_xact_lock_shared(7264030, 1);
    PERFORM set_config('event_log.writer', 'announced', true);
END $$;

-- Announces the transaction and takes the ordering locks of the aggregates it changes, in one round trip
-- (sorted, so concurrent writers never deadlock).
CREATE FUNCTION event_log.begin_writer(aggregate_keys bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    k bigint;
BEGIN
    PERFORM event_log.announce_writer();
    FOR k IN SELECT DISTINCT unnest(aggregate_keys) ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(k);
    END LOOP;
END $$;

CREATE FUNCTION event_log.require_announced_writer() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('event_log.writer', true) IS DISTINCT FROM 'announced' THEN
        RAISE EXCEPTION 'event_log: events inserted by a transaction that did not announce itself as a writer'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'call EventLogWriter.begin (or SELECT event_log.announce_writer()) before the transaction''s first write';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_require_announced_writer
    BEFORE INSERT ON event_log.events
    FOR EACH STATEMENT EXECUTE FUNCTION event_log.require_announced_writer();
