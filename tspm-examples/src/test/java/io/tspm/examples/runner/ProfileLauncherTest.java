package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** {@code --profile} (PM2's {@code --env}) selects the config's profile; one it does not have is refused. */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class ProfileLauncherTest {

    @TempDir
    Path dir;

    Launcher tspm;

    @BeforeEach
    void setUp() throws Exception {
        tspm = new Launcher(dir);
        Files.writeString(dir.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - name: app",
                "    shell: 'echo \"mode=$MODE level=$LEVEL\"; exec sleep 60'",
                "    env: {MODE: dev, LEVEL: debug}",
                "    env_staging: {MODE: staging}",
                "    profiles:",
                "      production:",
                "        env: {MODE: prod}",
                ""));
    }

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
        } finally {
            tspm.killLeftovers();
        }
    }

    @Test
    void theProfileGiven_isTheOneThatRuns() throws Exception {
        Launcher.Result prod = tspm.run("run", "tspm.yaml", "--plain", "--stop-after", "2", "--profile", "production");
        assertThat(prod.out()).as("%s", prod).contains("mode=prod level=debug");
        Launcher.Result staging = tspm.run("run", "--plain", "--stop-after", "2", "--env", "staging");
        assertThat(staging.out()).as("%s", staging).contains("mode=staging level=debug");
    }

    @Test
    void aProfileTheConfigDoesNotHave_isRefused_withTheNearestName() throws Exception {
        Launcher.Result r = tspm.run("run", "tspm.yaml", "--plain", "--stop-after", "2", "--profile", "prodution");
        assertThat(r.exit()).as("%s", r).isNotZero();
        assertThat(r.err()).as("%s", r).contains("the profile 'prodution' was selected").contains("did you mean"
                + " 'production'?");
        assertThat(r.out()).doesNotContain("mode=");
    }
}
