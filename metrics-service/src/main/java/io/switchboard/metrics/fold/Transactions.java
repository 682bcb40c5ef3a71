package io.switchboard.metrics.fold;

import io.agroal.api.AgroalDataSource;
import io.switchboard.eventlog.JdbcTransaction;
import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one JDBC transaction: a committed write, or a read-only snapshot. */
public final class Transactions {

    private Transactions() {
    }

    /** Commit on success, roll back on any failure. */
    public static <T> T run(AgroalDataSource dataSource, JdbcTransaction.Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return JdbcTransaction.run(connection, work);
        }
    }

    /** A read-only repeatable-read transaction: every statement of {@code work} sees the same snapshot. */
    public static <T> T readSnapshot(AgroalDataSource dataSource, JdbcTransaction.Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try {
                return work.run(connection);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
    }
}
