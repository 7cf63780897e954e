/**
 * The seams for time: a {@link io.tspm.time.Ticker} to read it and a
 * {@link io.tspm.time.Scheduler} to wait for it, both injectable so that backoff, windows and probe
 * thresholds are tested without sleeping.
 */
package io.tspm.time;
