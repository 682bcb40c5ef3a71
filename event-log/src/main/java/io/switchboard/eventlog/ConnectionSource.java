package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a connection the caller owns (and closes). */
@FunctionalInterface
public interface ConnectionSource {

    Connection open() throws SQLException;
}
