package io.switchboard.metrics.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A rollup query over one account and range, narrowed by optional filters, with its parameters in order. */
final class Sql {

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    static Sql rollup(String select, String table, UUID account, Instant from, Instant to, Filters filters) {
        Sql sql = new Sql();
        sql.text.append(select).append(" FROM metrics.").append(table).append(" WHERE account_id = ? AND bucket >= ? AND bucket < ?");
        sql.parameters.add(account);
        sql.parameters.add(Timestamp.from(from));
        sql.parameters.add(Timestamp.from(to));
        if (filters.inboxId() != null) {
            sql.and("inbox_id = ?", filters.inboxId());
        }
        if (filters.agentId() != null) {
            sql.and("agent_id = ?", filters.agentId());
        }
        return sql;
    }

    Sql and(String condition, Object... values) {
        text.append(" AND ").append(condition);
        parameters.addAll(List.of(values));
        return this;
    }

    Sql then(String rest) {
        text.append(' ').append(rest);
        return this;
    }

    <T> List<T> list(Connection connection, RowReader<T> reader) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(text.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    rows.add(reader.read(row));
                }
            }
            return rows;
        }
    }
}
