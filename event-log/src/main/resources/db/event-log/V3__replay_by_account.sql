-- Replays for one subscriber read one account's events only (EventLogReader.readAfter with an account):
-- this index makes that a range scan, however many other accounts wrote in between.
CREATE INDEX events_account_position ON event_log.events (account_id, tx_id, seq);
