package io.tspm.loadbalancer.internal;

import io.tspm.ProcessGroup;
import java.time.Duration;

/**
 * What the event loops of one proxy share: the group, the settings that shape each connection, the
 * outlier detector and the counters.
 */
public record ProxySettings(ProcessGroup group, Duration connectTimeout, Duration idleTimeout, int maxConnections,
        int connectAttempts, int bufferSize, OutlierDetector outliers, ProxyCounters counters) {
}
