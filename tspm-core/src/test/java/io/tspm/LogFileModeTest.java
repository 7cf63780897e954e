package io.tspm;

import static io.tspm.testsupport.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Log files are 0640 and the directories the library creates 0750, whatever was there before. */
@EnabledOnOs(OS.LINUX)
class LogFileModeTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void writeWithMode(Path p, String content, String mode) throws Exception {
        Files.writeString(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    /** Runs a process that prints one line to each stream, until both are in their files. */
    private static void runOnce(Path logs) {
        try (Supervisor s = Supervisor.builder().logDirectory(logs)
                .addProcess("web", p -> p.shell("echo out-line; echo err-line >&2; sleep 60"))
                .build()) {
            s.start();
            await().until(() -> Files.readString(logs.resolve("web-0.out.log")).contains("out-line")
                    && Files.readString(logs.resolve("web-0.err.log")).contains("err-line"));
        }
    }

    @Test
    void anExistingLogFileAndItsRotatedFilesBecome0640() throws Exception {
        writeWithMode(dir.resolve("web-0.out.log"), "old line\n", "rw-r--r--");
        writeWithMode(dir.resolve("web-0.out.log.1"), "older line\n", "rw-r--r--");
        writeWithMode(dir.resolve("web-0.err.log.2.gz"), "", "rw-rw-rw-");
        runOnce(dir);
        for (String name : List.of("web-0.out.log", "web-0.out.log.1", "web-0.err.log", "web-0.err.log.2.gz")) {
            assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-r-----");
        }
        assertThat(Files.readString(dir.resolve("web-0.out.log"))).startsWith("old line\n");
    }

    @Test
    void theDirectoriesTheLibraryCreatesAre0750AndOthersKeepTheirMode() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path logs = dir.resolve("var").resolve("log");
        runOnce(logs);
        assertThat(mode(dir.resolve("var"))).isEqualTo("rwxr-x---");
        assertThat(mode(logs)).isEqualTo("rwxr-x---");
        assertThat(mode(dir)).as("an existing directory").isEqualTo("rwxr-xr-x");
        assertThat(mode(logs.resolve("web-0.out.log"))).isEqualTo("rw-r-----");
    }

    @Test
    void rotatedAndGzippedFilesAre0640() throws Exception {
        String script = "i=0; while [ $i -lt 400 ]; do echo \"line-$i padding padding padding\"; i=$((i+1)); done;"
                + " sleep 60";
        try (Supervisor s = Supervisor.builder().logDirectory(dir)
                .addProcess("gz", p -> p.shell(script)
                        .logs(LogSettings.builder().noTimestamps().maxFileSize(4096).maxFiles(2).gzip(true).build()))
                .build()) {
            s.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("gz-0.out.log.1.gz"))
                    && Files.exists(dir.resolve("gz-0.out.log.2.gz")));
            for (String name : List.of("gz-0.out.log", "gz-0.out.log.1.gz", "gz-0.out.log.2.gz")) {
                assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-r-----");
            }
        }
    }
}
