package io.switchboard.eventlog;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Ordering locks. Log positions follow transaction ids, and PostgreSQL can hand a transaction its id while
 * it waits for a row lock, so a row lock alone lets a later version land at an earlier position. A
 * transaction-scoped advisory lock assigns no transaction id: taken before the first write, it makes every
 * transaction that changes an aggregate draw its id after the previous one committed.
 *
 * <p>Event writers take these through {@link EventLogWriter#begin}, which also announces them as writers;
 * {@link #lock} alone serves transactions that need the same ordering but write no events.
 */
public final class AggregateLocks {

    private static final String LOCK_SQL =
            "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT unnest(?::bigint[]) AS k ORDER BY 1) keys";

    private AggregateLocks() {
    }

    /** Blocks until this transaction holds the locks of all given aggregates (taken in a fixed order, so no deadlock). */
    public static void lock(Connection connection, UUID... aggregateIds) throws SQLException {
        Long[] keys = new Long[aggregateIds.length];
        for (int i = 0; i < aggregateIds.length; i++) {
            keys[i] = key(aggregateIds[i]);
        }
        Array array = connection.createArrayOf("bigint", keys);
        try (PreparedStatement lock = connection.prepareStatement(LOCK_SQL)) {
            lock.setArray(1, array);
            lock.executeQuery().close();
        } finally {
            array.free();
        }
    }

    /** The advisory-lock key of an aggregate; two aggregates sharing a key only serialize, never break. */
    public static long key(UUID aggregateId) {
        return aggregateId.getMostSignificantBits() ^ aggregateId.getLeastSignificantBits();
    }
}
