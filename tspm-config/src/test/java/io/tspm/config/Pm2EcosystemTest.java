package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tspm.ProcessSpec;
import io.tspm.RestartMode;
import io.tspm.healthcheck.ReadyFileProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pm2EcosystemTest {

    static final String ECOSYSTEM = String.join("\n",
            "{",
            "  // PM2 evaluates .json files as JavaScript, so comments are common",
            "  \"apps\": [{",
            "    \"name\": \"api\",",
            "    \"script\": \"server.js\",",
            "    \"interpreter\": \"node\",",
            "    \"node_args\": \"--max-old-space-size=512\",",
            "    \"args\": \"--color --level info\",",
            "    \"cwd\": \"/srv/api\",",
            "    \"instances\": \"4\",",
            "    \"exec_mode\": \"cluster\",",
            "    \"env\": {\"NODE_ENV\": \"development\", \"PORT\": 3000},",
            "    \"env_production\": {\"NODE_ENV\": \"production\"},",
            "    \"increment_var\": \"PORT\",",
            "    \"watch\": [\"src\"],",
            "    \"ignore_watch\": [\"node_modules/**\"],",
            "    \"watch_delay\": 1000,",
            "    \"max_memory_restart\": \"300M\",",
            "    \"wait_ready\": true,",
            "    \"listen_timeout\": 5000,",
            "    \"kill_timeout\": 3000,",
            "    \"cron_restart\": \"0 3 * * *\",",
            "    \"merge_logs\": true,",
            "    \"out_file\": \"/var/log/api/out.log\",",
            "    \"deploy\": {}",
            "  }, {",
            "    \"name\": \"worker\",",
            "    \"script\": \"worker.sh\",",
            "    \"autorestart\": false",
            "  }]",
            "}",
            "");

    @Test
    void ecosystemJson_mapsPm2sFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ecosystem.config.json");
        Files.writeString(file, ECOSYSTEM);
        TspmConfig c = TspmConfig.loader().profile("production").load(dir);
        ProcessSpec api = c.processes().get(0);
        assertThat(api.interpreter()).containsExactly("node", "--max-old-space-size=512");
        assertThat(api.args()).containsExactly("--color", "--level", "info");
        assertThat(api.workingDirectory()).contains(Path.of("/srv/api"));
        assertThat(api.instances()).isEqualTo(4);
        assertThat(api.basePort()).hasValue(3000);
        assertThat(api.environment()).isEqualTo(Map.of("NODE_ENV", "production"));
        assertThat(api.watchPaths()).containsExactly(Path.of("src"));
        assertThat(api.watchDebounce()).isEqualTo(Duration.ofSeconds(1));
        assertThat(api.maxMemory()).hasValue(300L * 1024 * 1024);
        assertThat(api.startupProbe().orElseThrow().probe()).isInstanceOf(ReadyFileProbe.class);
        assertThat(api.startupProbe().orElseThrow().failureThreshold()).isEqualTo(50);
        assertThat(api.stopTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.logs().mergeInstances()).isTrue();
        assertThat(api.logs().directory()).contains(Path.of("/var/log/api"));
        assertThat(api.restartPolicy().mode()).isEqualTo(RestartMode.ALWAYS);
        assertThat(api.restartPolicy().minUptime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(api.restartPolicy().maxRestarts()).isEqualTo(16);
        ProcessSpec worker = c.processes().get(1);
        assertThat(worker.restartPolicy().mode()).isEqualTo(RestartMode.NEVER);
        assertThat(worker.stopTimeout()).isEqualTo(Duration.ofMillis(1600));
        assertThat(c.warnings()).extracting(ConfigProblem::toString).containsExactly(
                file + ":11:5: apps[0].exec_mode: PM2 field not carried: ignored (every instance is its own process;"
                        + " give them ports with increment_var or basePort)",
                file + ":24:5: apps[0].out_file: log files are named after the process and instance (name-0.out.log,"
                        + " name-0.err.log) in /var/log/api; the file name '/var/log/api/out.log' is not used",
                file + ":25:5: apps[0].deploy: PM2 field not carried: ignored");
    }

    @Test
    void unknownPm2Field_isAnErrorWithThePm2Suggestion() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TspmConfig.parse(
                "[{\"name\": \"a\", \"script\": \"a.sh\", \"max_restart\": 3}]", ConfigFormat.JSON));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "<string>:1:34: apps[0].max_restart: unknown PM2 field; did you mean 'max_restarts'?");
    }

    @Test
    void jsLiteral_loads_andAComputedOneIsRefusedWithTheWayOut(@TempDir Path dir) throws Exception {
        Path js = dir.resolve("ecosystem.config.js");
        Files.writeString(js, "// PM2 config\nmodule.exports = {\n  apps: [{\n    name: 'web',\n"
                + "    script: 'web.sh', // a comment\n    instances: 2,\n  }],\n};\n");
        List<ProcessSpec> specs = TspmConfig.load(dir).processes();
        assertThat(specs).extracting(ProcessSpec::name).containsExactly("web");
        assertThat(specs.get(0).instances()).isEqualTo(2);

        Files.writeString(js, "module.exports = {\n  apps: [{ name: 'web', script: 'web.sh',\n"
                + "    env: { PORT: process.env.PORT } }]\n};\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TspmConfig.load(js));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(js + ":3:18: the file computes its"
                + " value ('process.env'), and only a plain literal can be read; turn it into JSON with node -e"
                + " \"console.log(JSON.stringify(require('./ecosystem.config.js'), null, 2))\" > ecosystem.config.json,"
                + " and load that");
    }
}
