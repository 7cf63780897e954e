package io.tspm.examples.bench.peer;

import java.util.List;

/**
 * What every contender runs: {@code sleeper} as the long-lived child, {@code writer} as the child
 * printing {@code lines} lines, both as absolute paths so that no contender searches the PATH;
 * {@code counts} are the numbers of sleepers started (a config file has to know them up front).
 */
record Workloads(List<String> sleeper, List<String> writer, long lines, List<Integer> counts) {

    Workloads {
        sleeper = List.copyOf(sleeper);
        writer = List.copyOf(writer);
        counts = List.copyOf(counts);
    }

    /** The name of the group of {@code n} sleepers, the same for every contender. */
    static String sleepGroup(int n) {
        return "sleep" + n;
    }

    static final String WRITER = "lines";
}
