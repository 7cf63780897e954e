package io.tspm.loadbalancer;

import io.tspm.Lease;
import io.tspm.ProcessGroup;
import io.tspm.ProcessInstance;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A group without processes, for the proxy's socket tests: instances are ports the test listens on,
 * picked round robin among those not ejected; leases and ejections are recorded. Only what the proxy
 * calls is implemented (a dynamic proxy answers the rest with an error).
 */
final class FakeGroup {

    final List<Integer> ports;
    final AtomicInteger[] inFlight;
    final AtomicLong[] bytesToInstance;
    final AtomicLong[] bytesFromInstance;
    final AtomicInteger[] connectFailures;
    final AtomicInteger[] served;
    final List<String> ejections = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<Integer, Boolean> ejected = new ConcurrentHashMap<>();
    private volatile Picker picker;
    final ProcessGroup group;

    FakeGroup(List<Integer> ports) {
        this.ports = List.copyOf(ports);
        int n = ports.size();
        inFlight = new AtomicInteger[n];
        bytesToInstance = new AtomicLong[n];
        bytesFromInstance = new AtomicLong[n];
        connectFailures = new AtomicInteger[n];
        served = new AtomicInteger[n];
        for (int i = 0; i < n; i++) {
            inFlight[i] = new AtomicInteger();
            bytesToInstance[i] = new AtomicLong();
            bytesFromInstance[i] = new AtomicLong();
            connectFailures[i] = new AtomicInteger();
            served[i] = new AtomicInteger();
        }
        publish();
        group = (ProcessGroup) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ProcessGroup.class},
                groupHandler());
    }

    static FakeGroup of(Integer... ports) {
        return new FakeGroup(List.of(ports));
    }

    private void publish() {
        List<Endpoint> in = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (!ejected.containsKey(i)) {
                in.add(Endpoints.of("web", i, "127.0.0.1", ports.get(i), 1, inFlight[i], Optional.empty()));
            }
        }
        picker = Strategies.roundRobin().picker(new Endpoints("web", 1, in, ports.size()));
    }

    int inFlightTotal() {
        int sum = 0;
        for (AtomicInteger a : inFlight) {
            sum += a.get();
        }
        return sum;
    }

    private InvocationHandler groupHandler() {
        return (proxy, method, args) -> {
            switch (method.getName()) {
                case "name":
                    return "web";
                case "pick":
                    return pick(args == null ? PickContext.NONE : (PickContext) args[0]);
                case "instances":
                    List<ProcessInstance> all = new ArrayList<>();
                    for (int i = 0; i < ports.size(); i++) {
                        all.add(instance(i));
                    }
                    return all;
                case "instance":
                    return instance((Integer) args[0]);
                case "toString":
                    return "FakeGroup" + ports;
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == args[0];
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        };
    }

    private Optional<Lease> pick(PickContext context) {
        Endpoint e = picker.pick(context);
        if (e == null) {
            return Optional.empty();
        }
        int id = e.instanceId();
        inFlight[id].incrementAndGet();
        served[id].incrementAndGet();
        return Optional.of(new FakeLease(e));
    }

    private ProcessInstance instance(int id) {
        return (ProcessInstance) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ProcessInstance.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "id":
                            return id;
                        case "eject":
                            ejections.add(id + " for " + io.tspm.Human.duration((Duration) args[0]));
                            ejected.put(id, true);
                            publish();
                            return null;
                        case "isEjected":
                            return ejected.containsKey(id);
                        case "toString":
                            return "web#" + id;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** Lets an ejected instance back in. */
    void restore(int id) {
        ejected.remove(id);
        publish();
    }

    private final class FakeLease implements Lease {
        private final Endpoint endpoint;
        private final AtomicInteger closed = new AtomicInteger();

        FakeLease(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public void bytes(long toInstance, long fromInstance) {
            bytesToInstance[endpoint.instanceId()].addAndGet(toInstance);
            bytesFromInstance[endpoint.instanceId()].addAndGet(fromInstance);
        }

        @Override
        public void connectFailed() {
            connectFailures[endpoint.instanceId()].incrementAndGet();
        }

        @Override
        public void close() {
            if (closed.compareAndSet(0, 1)) {
                inFlight[endpoint.instanceId()].decrementAndGet();
            }
        }
    }
}
