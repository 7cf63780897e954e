package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tspm.ProcessInstance;
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

/** A second class on the run's shared PostgreSQL: it starts no server of its own. */
class PostgresSecondClassTest {

    @BeforeAll
    static void postgresIsInstalled() {
        assumeTrue(Postgres.missing().isEmpty(), () -> Postgres.missing().orElse(""));
    }

    @RegisterExtension
    static final TspmExtension db = Postgres.shared();

    @Test
    void talksToTheSameServer(@Helper("postgres") int port, @Helper("postgres") ProcessInstance postgres)
            throws Exception {
        try (Connection c = DriverManager.getConnection(Postgres.jdbcUrl(port)); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_setting('port'), pg_backend_pid() > 0")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getInt(1)).isEqualTo(port);
            assertThat(r.getBoolean(2)).isTrue();
        }
        assertThat(postgres.snapshot().restarts()).isZero();
    }
}
