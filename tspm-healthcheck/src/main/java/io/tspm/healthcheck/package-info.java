/**
 * The built-in probes, behind the {@link io.tspm.healthcheck.Probes} facade: HTTP(S), TCP,
 * command, log line, ready file, and all/any of several. Each is a
 * {@link io.tspm.healthcheck.BuiltInProbe}: an immutable value whose settings, type name,
 * {@code equals} and {@code toString} let configuration bind it and write it back out.
 */
package io.tspm.healthcheck;
