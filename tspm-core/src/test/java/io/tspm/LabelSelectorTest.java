package io.tspm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("tier", "web", "team", "a");
    private static final Map<String, String> API = Map.of("tier", "api");
    private static final Map<String, String> NONE = Map.of();

    private static boolean m(String selector, Map<String, String> labels) {
        return LabelSelector.parse(selector).matches(labels);
    }

    @Test
    void equalityAndInequality() {
        assertThat(m("tier=web", WEB)).isTrue();
        assertThat(m("tier==web", WEB)).isTrue();
        assertThat(m("tier=web", API)).isFalse();
        assertThat(m("tier!=web", API)).isTrue();
        assertThat(m("tier!=web", NONE)).as("missing counts as different").isTrue();
        assertThat(m("tier!=web", WEB)).isFalse();
    }

    @Test
    void setsAndExistence() {
        assertThat(m("tier in (web,api)", WEB)).isTrue();
        assertThat(m("tier in (web, api)", API)).isTrue();
        assertThat(m("tier in (web,api)", NONE)).isFalse();
        assertThat(m("tier notin (web)", API)).isTrue();
        assertThat(m("tier notin (web)", NONE)).isTrue();
        assertThat(m("team", WEB)).isTrue();
        assertThat(m("team", API)).isFalse();
        assertThat(m("!team", API)).isTrue();
    }

    @Test
    void requirementsAreAndedAndTheEmptySelectorMatchesAll() {
        assertThat(m("tier in (web,api),team=a", WEB)).isTrue();
        assertThat(m("tier in (web,api),team=a", API)).isFalse();
        assertThat(LabelSelector.parse(" ").matches(NONE)).isTrue();
        assertThat(LabelSelector.all().isAll()).isTrue();
        assertThat(LabelSelector.of("tier", "web")).isEqualTo(LabelSelector.parse("tier = web"));
        assertThat(LabelSelector.parse("tier in (web,api), team").toString()).isEqualTo("tier in (web,api), team");
    }

    @Test
    void badSelectorsNameThePartAndTheForms() {
        assertThatThrownBy(() -> LabelSelector.parse("tier in ()"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("label selector 'tier in ()': a set needs at least one value");
        assertThatThrownBy(() -> LabelSelector.parse("tier in (a"))
                .hasMessageStartingWith("label selector 'tier in (a': a '(' is never closed (forms:");
        assertThatThrownBy(() -> LabelSelector.parse("tier=a, b)"))
                .hasMessageStartingWith("label selector 'tier=a, b)': a ')' at 10 closes no '('");
        assertThatThrownBy(() -> LabelSelector.parse("tier=a, =x"))
                .hasMessageStartingWith("label selector 'tier=a, =x': '=x': expected a label key");
        assertThatThrownBy(() -> LabelSelector.parse("tier=web,=x"))
                .hasMessageContaining("'=x': expected a label key")
                .hasMessageContaining("forms: key=value");
        assertThatThrownBy(() -> LabelSelector.parse("tier=a b")).hasMessageContaining("expected a value without spaces");
    }
}
