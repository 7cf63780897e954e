package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.testsupport.ModularMain;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tests run on the class path; this one checks the module descriptor as a modular app uses it. */
class ModulePathTest {

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void coreExportsOnlyItsApiAndWorksAsANamedModule() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = location(Supervisor.class) + File.pathSeparator + location(org.slf4j.Logger.class);
        String described = run(List.of(java, "--module-path", modulePath, "--describe-module", "io.tspm.core"));
        assertThat(described).contains("exports io.tspm\n", "exports io.tspm.event", "exports io.tspm.time",
                "requires org.slf4j", "contains io.tspm.internal",
                "exports io.tspm.testing", "exports io.tspm.junit", "requires org.junit.jupiter.api static");
        assertThat(described).doesNotContain("exports io.tspm.internal");

        String out = run(List.of(java, "--module-path", modulePath, "--add-modules", "io.tspm.core",
                "-cp", location(ModularMain.class), ModularMain.class.getName()));
        assertThat(out).contains("module: io.tspm.core", "state: RUNNING, reaper: true", "stopped");
    }
}
