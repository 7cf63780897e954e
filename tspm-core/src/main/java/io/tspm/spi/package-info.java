/**
 * What users and the other TSPM modules implement: {@link io.tspm.spi.Probe}, a health check, and
 * {@link io.tspm.spi.LoadBalancer}, a strategy that turns each {@link io.tspm.spi.Endpoints} view of
 * a group into a lock-free {@link io.tspm.spi.Picker}, with the contexts they are given. New data reaches implementations as default methods on the contexts,
 * so an implementation never breaks.
 */
package io.tspm.spi;
