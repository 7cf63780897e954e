package io.tspm.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * A child that holds memory: {@code AllocMain 150} allocates and touches 150 MiB, then sleeps;
 * {@code AllocMain grow} adds 10 MiB every 50 ms until it is stopped.
 */
public final class AllocMain {

    public static void main(String[] args) throws Exception {
        List<byte[]> held = new ArrayList<>();
        if (args[0].equals("grow")) {
            while (true) {
                held.add(touched(10));
                System.out.println("holding " + held.size() * 10 + " MiB");
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
        }
        for (int i = 0; i < Integer.parseInt(args[0]); i++) {
            held.add(touched(1));
        }
        System.out.println("allocated " + held.size() + " MiB");
        while (true) {
            java.util.concurrent.locks.LockSupport.park(); // hold the memory until killed
        }
    }

    private static byte[] touched(int mib) {
        byte[] b = new byte[mib * 1024 * 1024];
        for (int i = 0; i < b.length; i += 4096) {
            b[i] = 1;
        }
        return b;
    }
}
