package io.tspm.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the helper process a test parameter is about. What the parameter gets follows its type:
 * <ul>
 *   <li>{@link io.tspm.ProcessGroup}: the helper's group (all its instances);</li>
 *   <li>{@link io.tspm.ProcessInstance}: instance {@link #instance()} of it;</li>
 *   <li>{@code int} or {@link Integer}: that instance's port (a {@code basePort} or {@code freePorts()} helper);</li>
 *   <li>{@link io.tspm.Supervisor}: the supervisor that runs it (to tell two extensions apart).</li>
 * </ul>
 *
 * <pre>{@code
 * @Test
 * void answers(@Helper("upstream") int port, @Helper("upstream") ProcessInstance upstream) { ... }
 * }</pre>
 *
 * Without the annotation, a {@code Supervisor} parameter gets the extension's supervisor, and a
 * {@code ProcessGroup} or {@code ProcessInstance} parameter the extension's only helper.
 */
@Documented
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Helper {

    /** The helper's process name, as given to {@code ProcessSpec.builder(name)}. */
    String value();

    /** Which instance a {@code ProcessInstance} or port parameter is about (default 0). */
    int instance() default 0;
}
