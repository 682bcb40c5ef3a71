package io.switchboard.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The real PostgreSQL every test uses: an embedded server (zonky binaries, no Docker) started once per
 * JVM, or an existing server named by {@value #URL_ENV} (plus {@value #USER_ENV} / {@value #PASSWORD_ENV}),
 * in which a fresh database is created for the run.
 */
public final class TestDatabase implements AutoCloseable {

    /** JDBC URL of an existing server's maintenance database, e.g. jdbc:postgresql://localhost:5432/postgres. */
    public static final String URL_ENV = "SWITCHBOARD_TEST_DB_URL";
    public static final String USER_ENV = "SWITCHBOARD_TEST_DB_USER";
    public static final String PASSWORD_ENV = "SWITCHBOARD_TEST_DB_PASSWORD";

    /** How much durability the server trades for speed. */
    public enum Durability {
        /** fsync off: for tests, where a crash of the test machine loses nothing of value. */
        TEST,
        /** PostgreSQL defaults (fsync, synchronous commit): for benchmarks and local runs. */
        DURABLE
    }

    private static TestDatabase shared;

    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Runnable dropDatabase;

    private TestDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user, String password, Runnable dropDatabase) {
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dropDatabase = dropDatabase;
    }

    /** The database shared by all tests of this JVM; stopped by a shutdown hook. */
    public static synchronized TestDatabase shared() {
        if (shared == null) {
            shared = start(Durability.TEST, 0, null);
            TestDatabase toClose = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(toClose::close, "test-database-shutdown"));
        }
        return shared;
    }

    /**
     * Starts a database. {@code port} 0 picks a free port; {@code dataDirectory} null uses a throw-away
     * directory, otherwise the data survives restarts.
     */
    public static TestDatabase start(Durability durability, int port, Path dataDirectory) {
        String externalUrl = System.getenv(URL_ENV);
        if (externalUrl != null && !externalUrl.isBlank()) {
            return external(externalUrl, envOr(USER_ENV, "postgres"), envOr(PASSWORD_ENV, ""));
        }
        return embedded(durability, port, dataDirectory);
    }

    private static TestDatabase embedded(Durability durability, int port, Path dataDirectory) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "256MB")
                    .setServerConfig("max_wal_size", "2GB")
                    .setLocaleConfig("locale", "C")
                    .setLocaleConfig("encoding", "UTF8")
                    .setPGStartupWait(java.time.Duration.ofSeconds(60));
            if (durability == Durability.TEST) {
                builder.setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement statement = admin.createStatement()) {
                if (!databaseExists(admin, "switchboard")) {
                    statement.execute("CREATE DATABASE switchboard");
                }
            }
            return new TestDatabase(postgres, postgres.getJdbcUrl("postgres", "switchboard"), "postgres", "postgres", () -> { });
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static TestDatabase external(String maintenanceUrl, String user, String password) {
        String database = "switchboard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(maintenanceUrl, user, password); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + maintenanceUrl + ": " + e.getMessage(), e);
        }
        String url = replaceDatabase(maintenanceUrl, database);
        Runnable drop = () -> {
            try (Connection admin = DriverManager.getConnection(maintenanceUrl, user, password); Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("could not drop test database " + database + ": " + e.getMessage());
            }
        };
        return new TestDatabase(null, url, user, password, drop);
    }

    static String replaceDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.lastIndexOf('/');
        if (slash < "jdbc:postgresql://".length()) {
            throw new IllegalArgumentException(URL_ENV + " must look like jdbc:postgresql://host:port/database");
        }
        return base.substring(0, slash + 1) + database + params;
    }

    private static boolean databaseExists(Connection admin, String name) throws SQLException {
        try (var query = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (var rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The Quarkus datasource settings pointing at this database. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    @Override
    public void close() {
        dropDatabase.run();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                System.err.println("could not stop the embedded PostgreSQL: " + e.getMessage());
            }
        }
    }
}
