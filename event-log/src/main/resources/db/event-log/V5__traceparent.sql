-- The W3C trace context (traceparent header form) of the span that wrote the event, when the writer was
-- traced: lets an operator follow one request from its REST call to every socket its events reached
-- (docs/event-log.md, "Trace context"). Nullable; readers that do not trace ignore it.
ALTER TABLE event_log.events ADD COLUMN traceparent text
    CHECK (traceparent IS NULL OR traceparent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
