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
        assertThatThrownBy(() -> parse("OK=1", "NOEQUALS"))
                .hasMessage("env file app.env, line 2: expected KEY=value, but was 'NOEQUALS'");
        assertThatThrownBy(() -> parse("1BAD=x"))
                .hasMessage("env file app.env, line 1: expected a variable name ([A-Za-z_][A-Za-z0-9_.]*), but was '1BAD'");
        assertThatThrownBy(() -> parse("=x")).hasMessageContaining("line 1").hasMessageContaining("but was ''");
        assertThatThrownBy(() -> parse("A='open"))
                .hasMessage("env file app.env, line 1: the single-quoted value of A is not closed on its line");
        assertThatThrownBy(() -> parse("X=1", "A=\"open", "more"))
                .hasMessage("env file app.env, line 2: the double-quoted value of A is never closed");
        assertThatThrownBy(() -> parse("A=\"v\" junk"))
                .hasMessageContaining("line 1: expected a comment or the end of the line after the closing quote, but was 'junk'");
    }
}
