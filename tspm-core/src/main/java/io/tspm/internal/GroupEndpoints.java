package io.tspm.internal;

import io.tspm.Lease;
import io.tspm.ResourceUsage;
import io.tspm.TrafficSettings;
import io.tspm.spi.Endpoint;
import io.tspm.spi.Endpoints;
import io.tspm.spi.LoadBalancer;
import io.tspm.spi.PickContext;
import io.tspm.spi.Picker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints view a group publishes, and the picker its load balancer built for it. A refresh
 * rebuilds the view from the group's members, and publishes it (with its picker) only when who
 * may take traffic changed; listeners hear of it after every lock is released.
 *
 * <p>With no listener, a change only marks the view out of date and the next read (a pick, the
 * view) rebuilds it: a group of 1,000 coming up would otherwise build 2,000 views of up to 1,000
 * endpoints that nobody looks at, quadratic in time and in garbage (40 KB per instance at 1,000).
 * A reader still never sees a view older than the last change it could have seen.
 */
final class GroupEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(GroupEndpoints.class);

    private final String process;
    /** The group's instances by id, as they are now. */
    private final Supplier<List<ManagedInstance>> instances;
    /** Who may take traffic may have changed since the published view was built. */
    private volatile boolean outOfDate;
    /** The strategy, weights and panic threshold in force (guarded by this). */
    private LoadBalancer balancer;
    private TrafficSettings traffic;
    /** Set by a new configuration: the next refresh publishes even for the same members (guarded by this). */
    private boolean stale;
    /** Set once a lease was taken: from then on in-flight counts tell when a drain may end. */
    private volatile boolean tracked;
    private final CopyOnWriteArrayList<Consumer<Endpoints>> listeners = new CopyOnWriteArrayList<>();
    /** The view and its picker, replaced together (guarded by this for writers; read without lock). */
    private volatile Published published;

    private record Published(Endpoints view, Picker picker, List<ManagedInstance> members) {
    }

    GroupEndpoints(String process, TrafficSettings traffic, Supplier<List<ManagedInstance>> instances) {
        this.process = process;
        this.instances = instances;
        this.traffic = traffic;
        this.balancer = traffic.loadBalancer().orElse(RoundRobin.INSTANCE);
        this.published = new Published(new Endpoints(process, 0, List.of(), 0), c -> null, List.of());
    }

    /** Takes a new strategy, weights and panic threshold; the next refresh publishes a view with them. */
    synchronized void configure(TrafficSettings now) {
        if (!now.equals(traffic)) {
            traffic = now;
            balancer = now.loadBalancer().orElse(RoundRobin.INSTANCE);
            stale = true;
        }
    }

    /** Whether a lease was ever taken, so in-flight counts mean something. */
    boolean tracked() {
        return tracked;
    }

    /** From now on in-flight counts mean something (a proxy is attached). */
    void track() {
        tracked = true;
    }

    Endpoints view() {
        return current().view();
    }

    /** The published view and picker, rebuilt first if a change came since. */
    private Published current() {
        if (outOfDate) {
            refresh();
        }
        return published;
    }

    /**
     * Who may take traffic may have changed: rebuilds now for listeners, else marks the view out of
     * date for the next read. Call without holding an instance's lock.
     */
    void changed() {
        outOfDate = true; // before the listeners are looked at: addListener looks at it after adding
        if (!listeners.isEmpty()) {
            refresh();
        }
    }

    void addListener(Consumer<Endpoints> listener) {
        listeners.add(listener);
        if (outOfDate) {
            refresh(); // a change that saw no listener is announced to this one
        }
    }

    void removeListener(Consumer<Endpoints> listener) {
        listeners.remove(listener);
    }

    /**
     * Rebuilds the view from the group's instances, if a change came since the last rebuild;
     * publishes and announces it when the instances that may take traffic changed. Takes no
     * instance's lock, so a pick may call it from anywhere.
     */
    void refresh() {
        Endpoints announced = null;
        synchronized (this) {
            if (!outOfDate) {
                return; // readers that queued behind one rebuild: it was done for them
            }
            // Cleared before the instances are read: a change from here on marks it again.
            outOfDate = false;
            List<ManagedInstance> instances = this.instances.get();
            List<ManagedInstance> members = new ArrayList<>();
            for (ManagedInstance i : instances) {
                if (i.takesTraffic()) {
                    members.add(i);
                }
            }
            if (members.size() < traffic.panicThreshold() * instances.size()) {
                // Panic: too few are healthy; spreading over every live one beats overloading those few.
                members.clear();
                for (ManagedInstance i : instances) {
                    if (i.alive()) {
                        members.add(i);
                    }
                }
            }
            Published now = published;
            if (!stale && members.equals(now.members()) && instances.size() == now.view().total()) {
                return; // the same instances: no new view
            }
            stale = false;
            List<Endpoint> endpoints = new ArrayList<>(members.size());
            // An unchanged member keeps its endpoint: a group of 1,000 coming up one by one would
            // otherwise make half a million of them, and that garbage is what grows the heap.
            // Both lists follow the group's order, and a change adds or drops one or two: walk them
            // side by side, skipping one that left (a miss only costs a new endpoint).
            List<Endpoint> before = now.view().endpoints();
            int j = 0;
            for (ManagedInstance m : members) {
                int weight = traffic.weight(m.id());
                InstanceEndpoint reuse = null;
                for (int k = j; k < Math.min(j + 2, before.size()); k++) {
                    if (before.get(k) instanceof InstanceEndpoint ie && ie.instance == m) {
                        reuse = ie.sameAs(m, weight) ? ie : null;
                        j = k + 1;
                        break;
                    }
                }
                endpoints.add(reuse != null ? reuse : new InstanceEndpoint(m, weight));
            }
            Endpoints view = new Endpoints(process, now.view().version() + 1, endpoints, instances.size());
            Picker picker;
            try {
                picker = balancer.picker(view);
            } catch (RuntimeException e) {
                LOG.warn("load balancer {} failed to build a picker for '{}'; picking the first ready instance",
                        balancer.name(), process, e);
                picker = c -> view.isEmpty() ? null : view.get(0);
            }
            published = new Published(view, picker, List.copyOf(members));
            announced = view;
        }
        for (Consumer<Endpoints> l : listeners) {
            try {
                l.accept(announced);
            } catch (RuntimeException e) {
                LOG.warn("endpoints listener {} threw on version {} of '{}'", l, announced.version(), process, e);
            }
        }
    }

    /** A lease on the endpoint the picker chooses, or null when none may take traffic. */
    Lease pick(PickContext context) {
        Endpoint e = current().picker().pick(context);
        if (e == null) {
            return null;
        }
        InstanceEndpoint mine = (InstanceEndpoint) e;
        tracked = true;
        mine.instance.traffic.inFlight.incrementAndGet();
        return new InstanceLease(mine);
    }

    /** An instance as an endpoint: identity fixed at the view, load read live. */
    private static final class InstanceEndpoint implements Endpoint {
        final ManagedInstance instance;
        private final int port;
        private final Instant readySince;
        private final Map<String, String> labels;
        private final int weight;

        InstanceEndpoint(ManagedInstance instance, int weight) {
            this.instance = instance;
            this.weight = weight;
            this.port = instance.port().orElse(0);
            this.readySince = instance.readySince();
            this.labels = instance.labels();
        }

        /** Whether a new endpoint for {@code i} with {@code w} would equal this one. */
        boolean sameAs(ManagedInstance i, int w) {
            return i == instance && w == weight && port == i.port().orElse(0)
                    && java.util.Objects.equals(readySince, i.readySince()) && labels.equals(i.labels());
        }

        @Override
        public String processName() {
            return instance.processName();
        }

        @Override
        public int instanceId() {
            return instance.id();
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public Instant readySince() {
            return readySince;
        }

        @Override
        public Map<String, String> labels() {
            return labels;
        }

        @Override
        public int inFlight() {
            return instance.traffic.inFlight.get();
        }

        @Override
        public Optional<ResourceUsage> resources() {
            return instance.latestUsage();
        }

        @Override
        public String toString() {
            return instance.processName() + "#" + instance.id() + "@127.0.0.1:" + port;
        }
    }

    private static final class InstanceLease implements Lease {
        private final InstanceEndpoint endpoint;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile boolean failed;

        InstanceLease(InstanceEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public void bytes(long toInstance, long fromInstance) {
            InstanceTraffic t = endpoint.instance.traffic;
            if (toInstance > 0) {
                t.bytesIn.add(toInstance);
            }
            if (fromInstance > 0) {
                t.bytesOut.add(fromInstance);
            }
        }

        @Override
        public void connectFailed() {
            if (!failed) {
                failed = true;
                endpoint.instance.traffic.connectFailures.increment();
            }
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                endpoint.instance.traffic.leaseClosed(!failed);
            }
        }

        @Override
        public String toString() {
            return "Lease{" + endpoint + (open.get() ? ", open}" : ", closed}");
        }
    }
}
