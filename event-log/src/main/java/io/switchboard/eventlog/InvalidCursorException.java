package io.switchboard.eventlog;

/** A cursor string that this log never produced. */
public class InvalidCursorException extends IllegalArgumentException {

    public InvalidCursorException(String message) {
        super(message);
    }
}
