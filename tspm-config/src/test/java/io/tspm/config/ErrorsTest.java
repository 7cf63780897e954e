package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    private static List<String> problems(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> TspmConfig.loader().environment(Map.of("HOME", "/root")).read(new java.io.StringReader(yaml),
                        ConfigFormat.YAML, "tspm.yaml"));
        assertThat(e).as("a ConfigException").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void anUnknownSupervisorKey_listsTheSupervisorsKeys() {
        assertThat(problems("supervisor: {name: x, stopTimout: 5s}\nprocesses: [{name: a, shell: 'true'}]\n"))
                .singleElement().asString()
                .startsWith("tspm.yaml:1:23: supervisor.stopTimout: unknown key (its keys: name, ")
                .contains("startTimeout");
    }

    @Test
    void everyErrorOfAFile_isReportedAtOnce_atItsLine() {
        assertThat(problems(String.join("\n",
                "processes:",
                "  - name: api",
                "    shell: ./api",
                "    instanses: 4",
                "    stopTimeout: soon",
                "    nice: 42",
                "    maxMemory: -5mb",
                "  - name: web",
                "    command: [web]",
                "    instances: four",
                "    restart: sometimes",
                "    env: {API_TOKEN: [1, 2]}",
                ""))).containsExactly(
                "tspm.yaml:4:5: processes[0].instanses: unknown key; did you mean 'instances'?",
                "tspm.yaml:5:18: processes[0].stopTimeout: expected a duration such as 500ms, 30s, 5m or 1h, or a"
                        + " number of milliseconds, but was 'soon' (a string)",
                "tspm.yaml:6:11: processes[0].nice: expected a whole number in -20..19, but was 42 (a number)",
                "tspm.yaml:7:16: processes[0].maxMemory: expected a size such as 512mb, 1gb, 10M or 300K, or a number"
                        + " of bytes, but was '-5mb' (a string), which is negative",
                "tspm.yaml:10:16: processes[1].instances: expected a whole number in 0..10000 or 'max', but was 'four'"
                        + " (a string)",
                "tspm.yaml:11:14: processes[1].restart: expected one of always, on-failure, never, but was 'sometimes'"
                        + " (a string)",
                "tspm.yaml:12:22: processes[1].env.API_TOKEN: expected a string, but was a list");
    }

    @Test
    void badTrafficSettings_nameTheEntryAndTheValue() {
        assertThat(problems(String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: ./web",
                "    weights: [3, 0]",
                "    panicThreshold: 2",
                "    proxyPort: 70000",
                ""))).containsExactly(
                "tspm.yaml:4:18: processes[0].weights[1]: expected a whole number in 1..1000000, but was 0 (a number)",
                "tspm.yaml:5:21: processes[0].panicThreshold: expected a share of the instances, 0..1, but was 2"
                        + " (a number)",
                "tspm.yaml:6:16: processes[0].proxyPort: expected a whole number in 1..65535, but was 70000 (a number)");
    }

    @Test
    void aValueTheBuilderRefuses_isReportedWithTheBuildersReason() {
        assertThat(problems("processes: [{name: a, shell: x, maxMemory: 10kb}]")).containsExactly(
                "tspm.yaml:1:44: processes[0].maxMemory: '10kb' (a string) is not accepted: maxMemory must be >= 1048576"
                        + " bytes (1 MiB), but was 10240");
    }

    @Test
    void crossProcessErrors_duplicateNames_unknownAndCyclicDependencies_overlappingPorts() {
        assertThat(problems(String.join("\n",
                "processes:",
                "  - {name: a, shell: x, dependsOn: [b]}",
                "  - {name: b, shell: x, dependsOn: [a]}",
                "  - {name: a, shell: y}",
                "  - {name: c, shell: x, dependsOn: [d], basePort: 8000, instances: 2}",
                "  - {name: e, shell: x, basePort: 8001}",
                ""))).containsExactly(
                "tspm.yaml:4:12: processes[2].name: duplicate process name 'a' (first at line 2)",
                "tspm.yaml:5:36: processes[3].dependsOn: 'd' is not a process of this file",
                "tspm.yaml:2:36: processes[0].dependsOn: dependencies form a cycle: a -> b -> a",
                "tspm.yaml:6:35: processes[4].basePort: ports 8001..8001 overlap c's 8000..8001");
    }

    @Test
    void aProcessWithAnErrorOfItsOwn_isStillAProcessOfTheFile_andItsDependenciesAreChecked() {
        assertThat(problems(String.join("\n",
                "processes:",
                "  - {name: web, command: [sleep, '100'], instanses: 2}",
                "  - {name: worker, shell: sleep 100, dependsOn: [web]}",
                "  - {name: api, shell: x, instances: four, dependsOn: [wbe]}",
                "  - {name: jobs, shell: x, stopTimeout: 5 parsecs, dependsOn: {wroker: started}}",
                ""))).containsExactly(
                "tspm.yaml:2:42: processes[0].instanses: unknown key; did you mean 'instances'?",
                "tspm.yaml:4:38: processes[2].instances: expected a whole number in 0..10000 or 'max', but was 'four'"
                        + " (a string)",
                "tspm.yaml:5:41: processes[3].stopTimeout: expected a duration such as 500ms, 30s, 5m or 1h, or a number"
                        + " of milliseconds, but was '5 parsecs' (a string)",
                "tspm.yaml:4:55: processes[2].dependsOn: 'wbe' is not a process of this file; did you mean 'web'?",
                "tspm.yaml:5:63: processes[3].dependsOn: 'wroker' is not a process of this file; did you mean"
                        + " 'worker'?");
    }

    @Test
    void missingProgram_andProbeWithoutPort_sayWhatToAdd() {
        assertThat(problems(String.join("\n",
                "processes:",
                "  - name: a",
                "  - name: b",
                "    shell: x",
                "    readinessProbe: {type: tcp}",
                "  - name: c",
                "    shell: x",
                "    readinessProbe: {type: htp, port: 80}",
                ""))).containsExactly(
                "tspm.yaml:2:5: processes[0]: process 'a': a program must be set: command, script or shell",
                "tspm.yaml:8:28: processes[2].readinessProbe.type: unknown probe type 'htp', expected one of http,"
                        + " https, tcp, command, logLine, readyFile, all, any; did you mean 'http'?",
                "tspm.yaml:5:21: processes[1]: a probe checks {port} (tcp 127.0.0.1:{port}), but the process has no"
                        + " port: set basePort (instance i gets basePort + i), freePorts: true, or give the probe a"
                        + " port");
    }

    @Test
    void anUnknownProbeKey_listsTheKeysOfItsTypeAndThoseOfEveryProbe() {
        assertThat(problems("processes: [{name: a, shell: x, basePort: 8000, readinessProbe: {type: tcp, perod: 1s}}]"))
                .containsExactly("tspm.yaml:1:77: processes[0].readinessProbe.perod: unknown key of a tcp probe; did you"
                        + " mean 'period'? (its keys: host, port; and of every probe: initialDelay, period, timeout,"
                        + " successThreshold, failureThreshold)");
    }

    @Test
    void interpolation_fillsVariables_andAnUnsetOneIsAnError() {
        TspmConfig ok = TspmConfig.loader().environment(Map.of("PORT_BASE", "9000")).parse(
                "processes: [{name: a, shell: 'echo ${GREETING:-hi} $${HOME}', basePort: '${PORT_BASE}'}]",
                ConfigFormat.YAML);
        assertThat(ok.processes().get(0).shell()).contains("echo hi ${HOME}");
        assertThat(ok.processes().get(0).basePort()).hasValue(9000);
        assertThat(problems("processes: [{name: a, shell: 'echo ${NOPE}'}]")).containsExactly(
                "tspm.yaml:1:30: processes[0].shell: environment variable NOPE is not set; set it, or give a default:"
                        + " ${NOPE:-value}");
    }

    @Test
    void secrets_areMaskedInMessages() {
        assertThat(problems("processes: [{name: a, shell: x, labels: {API_TOKEN: [s3cret]}}]"))
                .containsExactly("tspm.yaml:1:53: processes[0].labels.API_TOKEN: expected a string, but was a list");
        assertThat(problems("processes: [{name: a, shell: x, env: {DB_PASSWORD: {x: 1}}, nice: x}]").get(1))
                .doesNotContain("s3cret");
    }

    @Test
    void hostileInput_endsInAConfigException() {
        String laughs = "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e]\n"
                + "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";
        assertThat(problems(laughs)).singleElement().asString().startsWith("tspm.yaml:");
        assertThat(problems("[".repeat(10_000))).singleElement().asString().contains("nested too deeply");
        assertThat(problems("processes: [{name: a, shell: x, instances: 99999999999999999999999}]"))
                .singleElement().asString().contains("too large");
    }
}
