package io.switchboard.gateway;

import static io.switchboard.gateway.Gateway.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.testing.TestDatabase;
import io.switchboard.testing.Tenant;
import io.switchboard.testing.WsClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live delivery does not wait for transactions that write no events, wherever they run on the PostgreSQL
 * server; it still waits for an open event writer (the gap-free guarantee). Each blocker holds a transaction
 * id open while a customer writes; the agent's frame must arrive well before the blocker ends.
 */
@QuarkusTest
class UnrelatedTransactionsTest {

    private static final Duration PROMPT = Duration.ofSeconds(1);

    @BeforeAll
    static void otherDatabase() throws SQLException {
        try (Connection connection = TestDatabase.shared().connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS unrelated");
            statement.execute("CREATE TABLE IF NOT EXISTS unrelated.work (id bigint)");
            if (!statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'unrelated_app'").next()) {
                statement.execute("CREATE DATABASE unrelated_app");
            }
        }
    }

    @Test
    void aTransactionHoldingAnIdInAnotherSchemaDoesNotDelayDelivery() throws Exception {
        assertNotDelayedBy(TestDatabase.shared().connect(), "INSERT INTO unrelated.work VALUES (1)");
    }

    @Test
    void aTransactionHoldingAnIdInAnotherDatabaseDoesNotDelayDelivery() throws Exception {
        TestDatabase database = TestDatabase.shared();
        String otherUrl = database.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/unrelated_app$1");
        assertNotDelayedBy(DriverManager.getConnection(otherUrl, database.user(), database.password()),
                "CREATE TABLE IF NOT EXISTS work (id bigint)");
    }

    /** With {@code write} holding a transaction id open on {@code blocker}, a message still reaches its agent at once. */
    private static void assertNotDelayedBy(Connection blocker, String write) throws SQLException {
        try (blocker) {
            blocker.setAutoCommit(false);
            execute(blocker, write);
            assertThat(deliveryTime()).isLessThan(PROMPT);
            blocker.rollback();
        }
    }

    @Test
    void anOpenEventWriterStillHoldsBackWhatWasCommittedAfterIt() throws Exception {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "hi");
        try (WsClient socket = Gateway.connect(agent.token()); Connection writer = TestDatabase.shared().connect()) {
            socket.subscribe("c", "conversation:" + conversation, null, null);
            writer.setAutoCommit(false);
            execute(writer, "SELECT event_log.announce_writer()");
            execute(writer, "INSERT INTO unrelated.work VALUES (2)"); // an announced writer with an id, still open
            String held = tenant.sendMessage(customer, conversation, Map.of("content", "after the writer")).statusCode(201).extract().path("id");
            Thread.sleep(1_500);
            assertThat(socket.frames("event")).noneMatch(f -> held.equals(f.path("id").asText()));
            assertThat(LimitsAndLifecycleTest.metric("switchboard_eventlog_held_back_seconds")).as("the held-back gauge").isGreaterThan(1.0);
            writer.commit();
            socket.awaitEvent("message.created", held, WAIT);
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .until(() -> LimitsAndLifecycleTest.metric("switchboard_eventlog_held_back_seconds") == 0);
        }
    }

    /** From the message POST's answer to the agent's frame. */
    private static Duration deliveryTime() {
        Tenant tenant = Gateway.tenant();
        Tenant.Member agent = tenant.inboxAgent();
        String customer = tenant.customerToken("c-" + UUID.randomUUID());
        UUID conversation = tenant.startConversation(customer, "hi");
        try (WsClient socket = Gateway.connect(agent.token())) {
            socket.subscribe("c", "conversation:" + conversation, null, null);
            String id = tenant.sendMessage(customer, conversation, Map.of("content", "now")).statusCode(201).extract().path("id");
            long answered = System.nanoTime();
            socket.awaitEvent("message.created", id, WAIT);
            return Duration.ofNanos(System.nanoTime() - answered);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
