package io.tspm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DotenvTest {

    private static final Path FILE = Path.of("app.env");

    private static Map<String, String> parse(String... lines) throws Dotenv.DotenvException {
        return Dotenv.parse(FILE, List.of(lines));
    }

    @Test
    void readsTheCommonForms() throws Exception {
        assertThat(parse(
                "# a comment",
                "",
                "PLAIN=value",
                "  SPACED =  padded value   ",
                "export EXPORTED=yes",
                "WITH_COMMENT=abc # trailing comment",
                "HASH_IN_VALUE=a#b",
                "EMPTY=",
                "SINGLE='literal $HOME \\n'",
                "DOUBLE=\"tab\\there \\\"quoted\\\" \\\\ \\$\"  # ok",
                "MULTI=\"line1",
                "line2\"",
                "URL=postgres://u:p@h:5432/db?x=1"))
                .containsExactly(
                        Map.entry("PLAIN", "value"),
                        Map.entry("SPACED", "padded value"),
                        Map.entry("EXPORTED", "yes"),
                        Map.entry("WITH_COMMENT", "abc"),
                        Map.entry("HASH_IN_VALUE", "a#b"),
                        Map.entry("EMPTY", ""),
                        Map.entry("SINGLE", "literal $HOME \\n"),
                        Map.entry("DOUBLE", "tab\there \"quoted\" \\ $"),
                        Map.entry("MULTI", "line1\nline2"),
                        Map.entry("URL", "postgres://u:p@h:5432/db?x=1"));
    }

    @Test
    void laterLinesWin() throws Exception {
        assertThat(parse("A=1", "A=2")).containsEntry("A", "2");
    }

    @Test
    void malformedLinesNameFileLineAndProblem() {
        String hidden = " (the line's text is not shown: it may hold a secret)";
        assertThatThrownBy(() -> parse("OK=1", "NOEQUALS"))
                .hasMessage("env file app.env, line 2: expected KEY=value, but the line holds one word and no '='" + hidden);
        assertThatThrownBy(() -> parse("DB_PASSWORD: hunter2"))
                .hasMessage("env file app.env, line 1: expected KEY=value, but DB_PASSWORD is followed by ':' instead"
                        + " of '='" + hidden);
        assertThatThrownBy(() -> parse("1BAD=x"))
                .hasMessage("env file app.env, line 1: expected KEY=value, but the line does not start with a variable"
                        + " name ([A-Za-z_][A-Za-z0-9_.]*): it starts with a digit" + hidden);
        assertThatThrownBy(() -> parse("=x")).hasMessageContaining("line 1").hasMessageContaining("no name before '='");
        assertThatThrownBy(() -> parse("A='open"))
                .hasMessage("env file app.env, line 1: the single-quoted value of A is not closed on its line");
        assertThatThrownBy(() -> parse("X=1", "A=\"open", "more"))
                .hasMessage("env file app.env, line 2: the double-quoted value of A is never closed");
        assertThatThrownBy(() -> parse("A=\"v\" junk"))
                .hasMessage("env file app.env, line 1: expected a comment or the end of the line after the closing"
                        + " quote of the value of A, but more text follows");
    }

    @Test
    void anErrorNeverShowsTheTextOfTheLine() {
        for (String line : List.of("DB_PASSWORD: hunter2", "DB_PASSWORD hunter2", "API_KEY: aHVudGVyMg==",
                "API_KEY aHVudGVyMg==", "hunter2", "1hunter2=x", "-hunter2", "\"hunter2\"", "A='hunter2' hunter2",
                "A=\"x\"hunter2", "A=\"hunter2", "PASS:hunter2=", "export hunter2")) {
            assertThatThrownBy(() -> parse("OK=1", line)).as(line)
                    .isInstanceOf(Dotenv.DotenvException.class)
                    .hasMessageStartingWith("env file app.env, line 2: ")
                    .message().doesNotContain("hunter2").doesNotContain("aHVudGVyMg");
        }
    }
}
