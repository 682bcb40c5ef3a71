package io.switchboard.metrics.fold;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Announces the accounts whose figures changed: NOTIFY on the push channel with comma-separated account ids
 * (several notifications when they do not fit in one payload). Sent inside the folding transaction, so a
 * listener hears about a change only once it is committed.
 */
public final class ChangeNotifier {

    /** PostgreSQL's payload limit is 8000 bytes; 200 ids × 37 characters stay well below it. */
    private static final int IDS_PER_NOTIFICATION = 200;

    private ChangeNotifier() {
    }

    public static void notify(Connection connection, String channel, Collection<UUID> accounts) throws SQLException {
        if (accounts.isEmpty()) {
            return;
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            StringJoiner ids = new StringJoiner(",");
            int count = 0;
            for (UUID account : accounts) {
                ids.add(account.toString());
                if (++count == IDS_PER_NOTIFICATION) {
                    send(notify, channel, ids.toString());
                    ids = new StringJoiner(",");
                    count = 0;
                }
            }
            if (count > 0) {
                send(notify, channel, ids.toString());
            }
        }
    }

    private static void send(PreparedStatement notify, String channel, String payload) throws SQLException {
        notify.setString(1, channel);
        notify.setString(2, payload);
        notify.execute();
    }
}
