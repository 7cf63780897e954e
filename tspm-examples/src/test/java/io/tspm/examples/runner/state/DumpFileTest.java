package io.tspm.examples.runner.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tspm.ProcessSpec;
import io.tspm.config.SupervisorSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpFileTest {

    @TempDir
    Path dir;

    static final SupervisorSettings SETTINGS = new SupervisorSettings("shop", null, null, null, null, null, null, null);

    static List<ProcessSpec> specs(int webInstances) {
        return List.of(
                ProcessSpec.builder("web").shell("echo web").instances(webInstances).basePort(18080)
                        .label("tier", "web").build(),
                ProcessSpec.builder("worker").command("sleep", "100").namespace("jobs").dependsOn("web").build());
    }

    DumpFile dump() {
        return new DumpFile(dir.resolve("dump.yaml"), dir.resolve("dump.yaml.bak"));
    }

    @Test
    void savedStateLoadsBackEqual_andIsPrivate() throws Exception {
        dump().save(SETTINGS, specs(3), Set.of("worker"));

        DumpFile.Dump d = dump().load(w -> {
            throw new AssertionError("no warning expected: " + w);
        });
        assertThat(d.specs()).isEqualTo(specs(3));
        assertThat(d.stopped()).containsExactly("worker");
        assertThat(d.supervisor().name()).isEqualTo("shop");
        assertThat(Files.getPosixFilePermissions(dir.resolve("dump.yaml")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void dumpCutOffAtAnyByte_fallsBackToTheBackupNamingBothFiles() throws Exception {
        dump().save(SETTINGS, specs(2), Set.of());
        dump().save(SETTINGS, specs(5), Set.of("worker"));
        Path file = dir.resolve("dump.yaml");
        byte[] whole = Files.readAllBytes(file);
        assertThat(Files.getPosixFilePermissions(dir.resolve("dump.yaml.bak")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        for (int cut = 0; cut < whole.length; cut++) {
            Files.write(file, Arrays.copyOf(whole, cut));
            List<String> warnings = new ArrayList<>();
            DumpFile.Dump d = dump().load(warnings::add);
            assertThat(d.specs()).as("cut at byte %d", cut).isEqualTo(specs(2));
            assertThat(d.stopped()).isEmpty();
            assertThat(warnings).as("cut at byte %d", cut).singleElement().asString()
                    .contains(file.toString(), dir.resolve("dump.yaml.bak").toString());
        }
        Files.write(file, whole);
        assertThat(dump().load(w -> { }).specs()).isEqualTo(specs(5));
    }

    @Test
    void changedByte_isDamage_too() throws Exception {
        dump().save(SETTINGS, specs(2), Set.of());
        dump().save(SETTINGS, specs(4), Set.of());
        Path file = dir.resolve("dump.yaml");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 1;
        Files.write(file, bytes);
        assertThat(dump().load(w -> { }).specs()).isEqualTo(specs(2));
    }

    @Test
    void aDamagedDump_neverReplacesAWholeBackup() throws Exception {
        dump().save(SETTINGS, specs(2), Set.of());
        dump().save(SETTINGS, specs(3), Set.of());
        Path file = dir.resolve("dump.yaml");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 10));
        dump().save(SETTINGS, specs(4), Set.of());
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 10));
        assertThat(dump().load(w -> { }).specs()).as("the backup is still the last whole dump").isEqualTo(specs(2));
    }

    @Test
    void neitherWhole_isAnErrorNamingBoth() throws Exception {
        Files.writeString(dir.resolve("dump.yaml"), "# tspm dump v1 bytes=3 sha256=00\nabc");
        assertThatThrownBy(() -> dump().load(w -> { })).isInstanceOf(DumpException.class)
                .hasMessageContaining(dir.resolve("dump.yaml").toString())
                .hasMessageContaining(dir.resolve("dump.yaml.bak").toString());
    }
}
