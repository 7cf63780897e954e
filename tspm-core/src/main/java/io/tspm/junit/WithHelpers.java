package io.tspm.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The annotation form, as Testcontainers' {@code @Testcontainers}: the class's
 * {@link HelperProcess @HelperProcess} fields are its helpers, {@code static} ones for the whole
 * class (and its {@code @Nested} classes), instance ones for each test. Parameters, failures and
 * crashes work as with a registered {@link TspmExtension}.
 *
 * <pre>{@code
 * @WithHelpers
 * class UpstreamTest {
 *     @HelperProcess
 *     static final ProcessSpec UPSTREAM = ProcessSpec.builder("upstream").command(...).freePorts()
 *             .readinessProbe(Probes.tcp("{port}")).build();
 *
 *     @Test
 *     void calls(@Helper("upstream") int port) { ... }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(HelperFieldsExtension.class)
public @interface WithHelpers {
}
