/**
 * The test kit: what TSPM's own tests use, for yours. {@link io.tspm.testing.ManualScheduler}
 * drives a supervisor's time by hand (restart backoff, crash-loop windows, probe periods) without
 * sleeping; {@link io.tspm.testing.NoLeakedProcessesExtension} fails a JUnit 5 test class that
 * leaves a process behind. The extension needs {@code junit-jupiter-api} on your test class path,
 * which core declares as an optional dependency; {@code ManualScheduler} needs nothing.
 */
package io.tspm.testing;
