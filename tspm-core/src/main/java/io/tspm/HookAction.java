package io.tspm;

/** A lifecycle hook written in Java; it runs on one of the supervisor's threads for blocking work. */
@FunctionalInterface
public interface HookAction {

    /** Does the hook's work; a throw fails it (a preStart failure fails the start). */
    void run(HookContext context) throws Exception;
}
