package io.tspm.internal;

/** The mean of the last N CPU samples of one process (TurboProcess's rolling average). Not thread-safe. */
final class CpuAverage {

    private final double[] samples;
    private int count;
    private int next;
    private double sum;

    CpuAverage(int size) {
        this.samples = new double[size];
    }

    /** Adds a sample and returns the mean of the last ones. */
    double add(double percent) {
        if (count == samples.length) {
            sum -= samples[next];
        } else {
            count++;
        }
        samples[next] = percent;
        sum += percent;
        next = (next + 1) % samples.length;
        return Math.max(0, sum / count);
    }

    void clear() {
        count = 0;
        next = 0;
        sum = 0;
    }
}
