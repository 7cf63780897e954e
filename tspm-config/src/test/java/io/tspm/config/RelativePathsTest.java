package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's relative paths are taken from the file's directory, not from where the JVM runs. */
class RelativePathsTest {

    @TempDir
    Path dir;

    @Test
    void aScriptNextToTheFileRunsWhereverTheFileIsLoadedFrom() throws Exception {
        Path app = Files.createDirectories(dir.resolve("app"));
        Path script = app.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho started > started.txt\nexec sleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(app.resolve("data"));
        Files.writeString(app.resolve("tspm.yaml"), String.join("\n",
                "supervisor: {logDirectory: logs}",
                "processes:",
                "  - {name: here, script: ./run.sh, readyAfter: 0}",
                "  - {name: there, shell: 'pwd > where.txt; exec sleep 60', workingDirectory: data, readyAfter: 0}",
                ""));
        TspmConfig config = TspmConfig.load(app); // the directory: tspm.yaml is discovered
        assertThat(config.processes().get(0).workingDirectory()).contains(app.toAbsolutePath());
        assertThat(config.processes().get(1).workingDirectory()).contains(app.resolve("data").toAbsolutePath());
        assertThat(config.supervisor().logDirectory()).isEqualTo(app.resolve("logs").toAbsolutePath());
        try (Supervisor s = config.supervisorBuilder().build()) {
            s.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(app.resolve("started.txt"))
                    && Files.exists(app.resolve("data/where.txt")));
            assertThat(Files.readString(app.resolve("data/where.txt")).trim()).isEqualTo(app.resolve("data")
                    .toRealPath().toString());
        }
    }

    @Test
    void aProcesssEnvFileFillsItsVariablesOverTheHostsButOnlyForIt() throws Exception {
        Path app = Files.createDirectories(dir.resolve("svc"));
        Files.writeString(app.resolve(".env"), String.join("\n", "# the service's settings",
                "export DB_HOST=db.internal", "DB_PORT=\"5433\"", "GREETING='hello # not a comment'", ""));
        Files.writeString(app.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - {name: api, shell: x, envFile: .env, args: ['${DB_HOST}:${DB_PORT}', '${GREETING}']}",
                "  - {name: other, shell: y, args: ['${DB_HOST:-none}']}",
                ""));
        TspmConfig config = TspmConfig.loader().environment(java.util.Map.of("DB_HOST", "from-host"))
                .load(app.resolve("tspm.yaml"));
        assertThat(config.processes().get(0).args()).containsExactly("db.internal:5433", "hello # not a comment");
        assertThat(config.processes().get(1).args()).as("another process does not see it").containsExactly("from-host");
    }
}
