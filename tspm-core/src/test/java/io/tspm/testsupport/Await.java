package io.tspm.testsupport;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** The one Awaitility setup every real-process test uses. */
public final class Await {

    private Await() {
    }

    /** Polls every 10 ms for up to 20 s (generous for a loaded 2-core CI machine). */
    public static ConditionFactory await() {
        return within(Duration.ofSeconds(20));
    }

    public static ConditionFactory within(Duration timeout) {
        return Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
                .ignoreExceptions();
    }
}
