package io.tspm.examples.runner.cli;

import io.tspm.examples.runner.ExitCodes;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tspm completion [bash|zsh|fish]}: a completion script for the shell. picocli writes the
 * bash one, which zsh runs too (through bashcompinit); fish gets its {@code complete} lines written
 * here from the same command model: the commands with their descriptions, then each command's options.
 */
@Command(name = "completion", description = {"Prints a completion script for bash (the default), zsh or fish:",
    "  source <(tspm completion)          bash, zsh",
    "  tspm completion fish | source      fish"})
public final class CompletionCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "SHELL", defaultValue = "bash", description = "bash, zsh or fish.",
            completionCandidates = Shells.class)
    String shell;

    /** What {@code SHELL} may be, for the completion scripts themselves. */
    static final class Shells extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Shells() {
            super(List.of("bash", "zsh", "fish"));
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        String name = root.getCommandName();
        switch (shell) {
            case "bash", "zsh" -> spec.commandLine().getOut().print(AutoComplete.bash(name, root));
            case "fish" -> spec.commandLine().getOut().print(fish(name, root));
            default -> {
                spec.commandLine().getErr().println("tspm: no completion for the shell '" + shell
                        + "': bash, zsh or fish");
                spec.commandLine().getErr().flush();
                return ExitCodes.USAGE;
            }
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** fish's {@code complete} lines for {@code root}'s commands and their options. */
    static String fish(String name, CommandLine root) {
        StringBuilder s = new StringBuilder("# fish completion for ").append(name)
                .append(": tspm completion fish | source\n");
        s.append("complete -c ").append(name).append(" -f\n"); // file names only where a command takes them
        Set<CommandLine> seen = new LinkedHashSet<>();
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden()) {
                continue;
            }
            s.append("complete -c ").append(name).append(" -n __fish_use_subcommand -a ").append(e.getKey())
                    .append(" -d ").append(quoted(firstSentence(sub.usageMessage().description()))).append('\n');
            if (!seen.add(e.getValue())) {
                continue; // an alias: its options are listed under the command's own name
            }
            String when = "'__fish_seen_subcommand_from " + String.join(" ", aliases(e.getValue())) + "'";
            for (OptionSpec o : sub.options()) {
                if (o.hidden()) {
                    continue;
                }
                s.append("complete -c ").append(name).append(" -n ").append(when);
                for (String n : o.names()) {
                    s.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
                }
                if (o.arity().max() > 0) {
                    s.append(" -r");
                }
                s.append(" -d ").append(quoted(firstSentence(o.description()))).append('\n');
            }
            if (sub.helpCommand()) {
                s.append("complete -c ").append(name).append(" -n ").append(when).append(" -a ")
                        .append(quoted(String.join(" ", visible(root)))).append('\n');
            } else {
                for (CommandLine.Model.PositionalParamSpec p : sub.positionalParameters()) {
                    if (p.completionCandidates() != null) {
                        List<String> values = new ArrayList<>();
                        p.completionCandidates().forEach(values::add);
                        s.append("complete -c ").append(name).append(" -n ").append(when).append(" -a ")
                                .append(quoted(String.join(" ", values))).append('\n');
                    } else if (File.class.isAssignableFrom(p.type()) || Path.class.isAssignableFrom(p.type())
                            || p.paramLabel().contains("FILE")) { // a config; a NAME or N gets no file names
                        s.append("complete -c ").append(name).append(" -n ").append(when).append(" -F\n");
                    }
                }
            }
        }
        return s.toString();
    }

    private static List<String> visible(CommandLine root) {
        return root.getSubcommands().entrySet().stream()
                .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList();
    }

    private static List<String> aliases(CommandLine c) {
        List<String> names = new ArrayList<>();
        names.add(c.getCommandName());
        names.addAll(List.of(c.getCommandSpec().aliases()));
        return names;
    }

    private static String firstSentence(String[] description) {
        String text = String.join(" ", description).trim();
        int end = text.indexOf(". ");
        return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
