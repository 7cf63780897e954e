package io.tspm;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a process runs, exactly one of three: an argv {@link Command} (no shell), a {@link Script}
 * run by an interpreter (inferred from its extension unless given), or a {@link Shell} line run by
 * {@code /bin/sh -c}. The arguments of {@link ProcessSpec#args()} follow any of them.
 */
public sealed interface Program permits Program.Command, Program.Script, Program.Shell {

    /** Which of the three this is. */
    ProcessSpec.Kind kind();

    /** A program and its arguments, run without a shell. */
    static Command command(String... argv) {
        Objects.requireNonNull(argv, "command");
        return new Command(Arrays.asList(argv.clone()));
    }

    /** A script whose interpreter is inferred from its extension. */
    static Script script(Path path) {
        return new Script(path, List.of());
    }

    /** A command line for {@code /bin/sh -c}. */
    static Shell shell(String line) {
        return new Shell(line);
    }

    /**
     * An argv command.
     *
     * @param argv the program and its arguments; the program must not be blank
     */
    record Command(List<String> argv) implements Program {

        /** Checks and copies the argv. */
        public Command {
            argv = List.copyOf(Checks.argv("command", argv, true));
        }

        @Override
        public ProcessSpec.Kind kind() {
            return ProcessSpec.Kind.COMMAND;
        }

        @Override
        public String toString() {
            return "command " + argv;
        }
    }

    /**
     * A script.
     *
     * @param path        the script, resolved against the working directory
     * @param interpreter the interpreter and its options; empty: inferred from the extension
     *                    ({@code .sh} sh, {@code .jar} java -jar, {@code .java} java, {@code .py}
     *                    python3, {@code .js} node), or the script runs directly
     */
    record Script(Path path, List<String> interpreter) implements Program {

        /** Checks the path and copies the interpreter. */
        public Script {
            Objects.requireNonNull(path, "script");
            if (path.toString().isBlank()) {
                throw new IllegalArgumentException("script must not be blank, but was '" + path + "'");
            }
            interpreter = List.copyOf(interpreter.isEmpty() ? interpreter : Checks.argv("interpreter", interpreter, true));
        }

        /** This script run by {@code interpreter} (and its options). */
        public Script withInterpreter(String... interpreter) {
            Objects.requireNonNull(interpreter, "interpreter");
            return new Script(path, Checks.argv("interpreter", Arrays.asList(interpreter.clone()), true));
        }

        @Override
        public ProcessSpec.Kind kind() {
            return ProcessSpec.Kind.SCRIPT;
        }

        @Override
        public String toString() {
            return "script " + path + (interpreter.isEmpty() ? "" : " by " + interpreter);
        }
    }

    /**
     * A shell line.
     *
     * @param line the command line for {@code /bin/sh -c}; the args become {@code $1...}
     */
    record Shell(String line) implements Program {

        /** Checks the line. */
        public Shell {
            Objects.requireNonNull(line, "shell");
            if (line.isBlank()) {
                throw new IllegalArgumentException("shell must not be blank, but was '" + line + "'");
            }
            if (line.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("shell must not contain a NUL character, but was '"
                        + line.replace('\0', '?') + "'");
            }
        }

        @Override
        public ProcessSpec.Kind kind() {
            return ProcessSpec.Kind.SHELL;
        }

        @Override
        public String toString() {
            return "shell '" + line + "'";
        }
    }
}
