package io.tspm.config.internal;

import java.time.Duration;

/** Durations and sizes as the writer puts them, in the units the reader takes back. */
public final class Units {

    private Units() {
    }

    /** {@code 1h}, {@code 5m}, {@code 30s}, {@code 1500ms}, {@code 250us}, {@code 7ns}: the largest exact unit. */
    public static String duration(Duration d) {
        long s = d.getSeconds();
        int n = d.getNano();
        if (n == 0) {
            if (s % 3600 == 0 && s != 0) {
                return s / 3600 + "h";
            } else if (s % 60 == 0 && s != 0) {
                return s / 60 + "m";
            }
            return s + "s";
        }
        if (n % 1_000_000 == 0) {
            return (s * 1000 + n / 1_000_000) + "ms";
        } else if (n % 1000 == 0) {
            return (s * 1_000_000 + n / 1000) + "us";
        }
        return (s * 1_000_000_000L + n) + "ns";
    }

    /** {@code 10mb}, {@code 1gb}, {@code 300kb}, or plain bytes: the largest exact unit. */
    public static Object size(long bytes) {
        String[] units = {"tb", "gb", "mb", "kb"};
        long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes;
    }
}
