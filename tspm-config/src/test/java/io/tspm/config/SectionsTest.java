package io.tspm.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** The sections the runner reads: control and metrics, typed and checked here. */
class SectionsTest {

    @Test
    void controlAndMetricsAreBoundWithTheirDefaults() {
        TspmConfig none = TspmConfig.parse("processes: []", ConfigFormat.YAML);
        assertThat(none.control()).isEqualTo(ControlSettings.DEFAULTS);
        assertThat(none.metrics()).isEqualTo(MetricsSettings.DEFAULTS);
        TspmConfig set = TspmConfig.parse(String.join("\n",
                "processes: []",
                "control: {address: 0.0.0.0, port: 9615, allowRemote: true}",
                "metrics: {textfiles: false}", ""), ConfigFormat.YAML);
        assertThat(set.control()).isEqualTo(new ControlSettings("0.0.0.0", 9615, true));
        assertThat(set.metrics()).isEqualTo(new MetricsSettings(true, false));
    }

    @Test
    void aRemoteAddressWithoutConsentAndUnknownKeysAreErrorsAtTheirLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> TspmConfig.parse(String.join("\n",
                "control: {address: 0.0.0.0}",
                "metrics: {enable: false}", ""), ConfigFormat.YAML));
        assertThat(e.problems()).extracting(ConfigProblem::toString).containsExactly(
                "<string>:1:20: control.address: control.address 0.0.0.0 is not loopback: set control.allowRemote:"
                        + " true to listen there (the token is still required)",
                "<string>:2:11: metrics.enable: unknown key; did you mean 'enabled'? (its keys: enabled, textfiles)");
    }
}
