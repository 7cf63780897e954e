package io.tspm.testsupport;

/**
 * A small Java child for tests: prints its pid and instance id, then sleeps until killed, or
 * exits with the code given as first argument after printing "bye".
 */
public final class HelperMain {

    public static void main(String[] args) throws Exception {
        System.out.println("helper pid=" + ProcessHandle.current().pid() + " instance="
                + System.getenv("TSPM_INSTANCE_ID") + " port=" + System.getenv("PORT"));
        System.out.flush();
        if (args.length > 0) {
            System.out.println("bye");
            System.exit(Integer.parseInt(args[0]));
        }
        while (true) {
            java.util.concurrent.locks.LockSupport.park(); // until killed
        }
    }
}
