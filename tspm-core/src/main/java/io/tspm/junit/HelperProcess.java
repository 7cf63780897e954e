package io.tspm.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link io.tspm.ProcessSpec} field of a {@link WithHelpers @WithHelpers} class as a helper:
 * a {@code static} field's helper runs for the whole class, an instance field's for each test.
 */
@Documented
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface HelperProcess {
}
