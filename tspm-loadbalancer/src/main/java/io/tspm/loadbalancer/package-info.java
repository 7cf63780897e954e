/**
 * Load balancing over a group's instances: the built-in strategies behind {@link
 * io.tspm.loadbalancer.Strategies}, and a TCP proxy that puts one port in front of a cluster.
 */
package io.tspm.loadbalancer;
