package io.switchboard.eventlog;

import java.sql.Connection;
import java.sql.SQLException;

/** Work in one JDBC transaction on a given connection: committed on success, rolled back on any failure. */
public final class JdbcTransaction {

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private JdbcTransaction() {
    }

    /** Runs {@code work} with auto-commit off, then restores the connection's auto-commit mode. */
    public static <T> T run(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
