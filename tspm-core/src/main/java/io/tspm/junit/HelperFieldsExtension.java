package io.tspm.junit;

import io.tspm.ProcessSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * What {@link WithHelpers} registers: a {@link TspmExtension} for the class's static
 * {@link HelperProcess} fields and one per test for its instance fields, each doing what a
 * registered one would.
 */
public final class HelperFieldsExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HelperFieldsExtension.class);
    private static final String CLASS = "class";
    private static final String TEST = "test";

    /** Registered by {@link WithHelpers}. */
    public HelperFieldsExtension() {
    }

    /** Starts the class's static helpers. */
    @Override
    public void beforeAll(ExtensionContext context) {
        List<ProcessSpec> specs = specs(context.getRequiredTestClass(), null);
        if (!specs.isEmpty()) {
            TspmExtension ext = extension(specs);
            context.getStore(NAMESPACE).put(CLASS, new Scoped(ext, context.getUniqueId()));
            ext.beforeAll(context);
        }
    }

    /** Stops the class's static helpers. */
    @Override
    public void afterAll(ExtensionContext context) {
        Scoped s = context.getStore(NAMESPACE).get(CLASS, Scoped.class);
        if (s != null && s.owner.equals(context.getUniqueId())) {
            s.extension.afterAll(context);
        }
    }

    /** Starts the test's instance helpers; marks the class helpers' exits. */
    @Override
    public void beforeEach(ExtensionContext context) {
        klass(context).ifPresent(e -> e.beforeEach(context));
        List<ProcessSpec> specs = specs(context.getRequiredTestClass(), context.getRequiredTestInstance());
        if (!specs.isEmpty()) {
            TspmExtension ext = extension(specs);
            context.getStore(NAMESPACE).put(TEST, new Scoped(ext, context.getUniqueId()));
            ext.beforeEach(context);
        }
    }

    /** Checks for crashes and stops the test's instance helpers. */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            test(context).ifPresent(e -> e.afterEach(context));
        } finally {
            klass(context).ifPresent(e -> e.afterEach(context));
        }
    }

    /** Attaches every helper's last lines to the failure. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        Throwable t = failure;
        for (TspmExtension e : all(context)) {
            try {
                e.handleTestExecutionException(context, t);
            } catch (Throwable explained) {
                t = explained;
            }
        }
        throw t;
    }

    /** A {@code Supervisor}, group, instance or port of one of the helpers. */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return all(extensionContext).stream().anyMatch(e -> e.supportsParameter(parameterContext, extensionContext));
    }

    /** Resolved by the helpers' extension that supports it, the test's first. */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        for (TspmExtension e : all(extensionContext)) {
            if (e.supportsParameter(parameterContext, extensionContext)) {
                return e.resolveParameter(parameterContext, extensionContext);
            }
        }
        throw new org.junit.jupiter.api.extension.ParameterResolutionException("no helper for "
                + parameterContext.getParameter());
    }

    private static TspmExtension extension(List<ProcessSpec> specs) {
        TspmExtension.Builder b = TspmExtension.builder();
        specs.forEach(b::addProcess);
        return b.build();
    }

    /** The ProcessSpec fields marked {@link HelperProcess}: static ones without an instance, else the instance's. */
    private static List<ProcessSpec> specs(Class<?> type, Object instance) {
        List<ProcessSpec> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(HelperProcess.class) || Modifier.isStatic(f.getModifiers()) != (instance == null)) {
                    continue;
                }
                if (!ProcessSpec.class.isAssignableFrom(f.getType())) {
                    throw new ExtensionConfigurationException("@HelperProcess field " + c.getSimpleName() + "." + f.getName()
                            + " must be a ProcessSpec, but is a " + f.getType().getSimpleName());
                }
                try {
                    f.setAccessible(true);
                    Object value = f.get(instance);
                    if (value == null) {
                        throw new ExtensionConfigurationException("@HelperProcess field " + c.getSimpleName() + "."
                                + f.getName() + " is null");
                    }
                    out.add((ProcessSpec) value);
                } catch (IllegalAccessException | RuntimeException e) {
                    if (e instanceof ExtensionConfigurationException) {
                        throw (ExtensionConfigurationException) e;
                    }
                    throw new ExtensionConfigurationException("cannot read @HelperProcess field " + c.getSimpleName()
                            + "." + f.getName() + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    private static Optional<TspmExtension> klass(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(CLASS, Scoped.class)).map(Scoped::extension);
    }

    private static Optional<TspmExtension> test(ExtensionContext context) {
        Scoped s = context.getStore(NAMESPACE).get(TEST, Scoped.class);
        return s != null && s.owner.equals(context.getUniqueId()) ? Optional.of(s.extension) : Optional.empty();
    }

    private static List<TspmExtension> all(ExtensionContext context) {
        List<TspmExtension> out = new ArrayList<>();
        test(context).ifPresent(out::add);
        klass(context).ifPresent(out::add);
        return out;
    }

    /** An extension and the context it belongs to. */
    private record Scoped(TspmExtension extension, String owner) {
    }
}
