package io.tspm.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that a test runs through {@link JupiterRun} (to see how it fails): disabled in the
 * build's own run, which would otherwise pick it up by a {@code -Dtest} pattern.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Fixture.OnlyInJupiterRun.class)
public @interface Fixture {

    /** Enables the class only when the run sets {@link JupiterRun#FIXTURES}. */
    final class OnlyInJupiterRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(JupiterRun.FIXTURES).isPresent()
                    ? ConditionEvaluationResult.enabled("run by JupiterRun")
                    : ConditionEvaluationResult.disabled("a fixture, run by a test through JupiterRun");
        }
    }
}
