package io.tspm;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** What a lifecycle hook knows about the instance it runs for. Grows by default methods. */
public interface HookContext {

    /** The process (group) name. */
    String processName();

    /** The instance id. */
    int instanceId();

    /** The instance's process, when one runs (postStart, preStop); empty in preStart and postStop. */
    OptionalLong pid();

    /** The instance's port, empty without a basePort. */
    OptionalInt port();

    /** Why the instance stops (preStop, postStop): "a stop of web#0", a probe failure, ...; empty otherwise. */
    Optional<String> reason();

    /** The environment the instance gets (and a command hook runs with). */
    Map<String, String> environment();
}
