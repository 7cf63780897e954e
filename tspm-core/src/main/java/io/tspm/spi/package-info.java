/**
 * What users and the other TSPM modules implement: {@link io.tspm.spi.Probe}, a health check, and
 * the contexts it is given. New data reaches implementations as default methods on the contexts,
 * so an implementation never breaks.
 */
package io.tspm.spi;
