package io.tspm;

/**
 * The POSIX signals the supervisor sends to children: the stop signal and signals a user asks for.
 *
 * <p>Numbers are those of Linux; {@link #fromExitValue(int)} decodes the {@code 128 + n} exit value
 * that the JDK reports for a child killed by signal {@code n}.
 */
public enum Signal {
    HUP(1),
    INT(2),
    QUIT(3),
    KILL(9),
    USR1(10),
    USR2(12),
    TERM(15);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    /** The Linux signal number. */
    public int number() {
        return number;
    }

    /** The name as {@code kill -s} takes it, without the {@code SIG} prefix. */
    public String shortName() {
        return name();
    }

    /**
     * The signal whose death the JDK reports as this exit value ({@code 128 + n}), or {@code null}.
     */
    public static Signal fromExitValue(int exitValue) {
        for (Signal s : values()) {
            if (exitValue == 128 + s.number) {
                return s;
            }
        }
        return null;
    }

    /** Parses {@code TERM}, {@code SIGTERM} or {@code sigterm}. */
    public static Signal parse(String name) {
        if (name == null) {
            throw new NullPointerException("signal");
        }
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (n.startsWith("SIG")) {
            n = n.substring(3);
        }
        for (Signal s : values()) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("signal must be one of " + java.util.Arrays.toString(values())
                + ", but was '" + name + "'");
    }

    @Override
    public String toString() {
        return "SIG" + name();
    }
}
