/**
 * The built-in probes, behind the {@link io.tspm.healthcheck.Probes} facade: HTTP(S), TCP,
 * command, log line, ready file, and all/any of several.
 */
package io.tspm.healthcheck;
