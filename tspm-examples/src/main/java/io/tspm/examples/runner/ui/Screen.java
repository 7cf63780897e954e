package io.tspm.examples.runner.ui;

/** What a foreground runner shows while it runs: the live table on a terminal, plain lines elsewhere. */
public interface Screen extends AutoCloseable {

    /** Something to tell the user (a start failure, "stopping ..."). */
    void notice(String text);

    /** Gives the terminal back; idempotent. */
    @Override
    void close();
}
