/**
 * Helper processes in JUnit 5 tests: {@link io.tspm.junit.TspmExtension} (registered with
 * {@code @RegisterExtension}) or the annotation form {@link io.tspm.junit.WithHelpers} with
 * {@link io.tspm.junit.HelperProcess} fields start a fake upstream, a database or a second service
 * before the tests, hand tests the supervisor, groups, instances and ports
 * ({@link io.tspm.junit.Helper}), attach the helpers' last lines to a failure, and stop everything
 * after. Needs {@code junit-jupiter-api} on the test class path (core's optional dependency).
 */
package io.tspm.junit;
