package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tspm.examples.helpers.Postgres;
import io.tspm.junit.Helper;
import io.tspm.junit.TspmExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PostgreSQL shared by the run (initdb once, postgres on a free port), used through JDBC. */
class PostgresTest {

    @BeforeAll
    static void postgresIsInstalled() {
        assumeTrue(Postgres.missing().isEmpty(), () -> Postgres.missing().orElse(""));
    }

    @RegisterExtension
    static final TspmExtension db = Postgres.shared();

    @Test
    void storesAndReadsARow(@Helper("postgres") int port) throws Exception {
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(port)); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS greetings (id serial PRIMARY KEY, text text NOT NULL)");
            s.execute("INSERT INTO greetings (text) VALUES ('hello from PostgresTest')");
            try (ResultSet r = s.executeQuery("SELECT text FROM greetings WHERE text = 'hello from PostgresTest'")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("hello from PostgresTest");
            }
        }
    }
}
