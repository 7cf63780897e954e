/**
 * What users and the other TSPM modules implement: {@link io.tspm.spi.Probe}, a health check, and
 * {@link io.tspm.spi.LoadBalancer}, a strategy that turns each {@link io.tspm.spi.Endpoints} view of
 * a group into a lock-free {@link io.tspm.spi.Picker}, with the contexts they are given. New data reaches implementations as default methods on the contexts,
 * so an implementation never breaks.
 *
 * <p>Configuration finds probes and strategies by name through {@link io.tspm.spi.ProbeTypeProvider}
 * and {@link io.tspm.spi.LoadBalancerTypeProvider} services, each type creating its value from
 * {@link io.tspm.spi.TypeSettings}.
 */
package io.tspm.spi;
