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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints view a group publishes, and the picker its load balancer built for it. A refresh
 * rebuilds the view from the group's members, and publishes it (with its picker) only when who
 * may take traffic changed; listeners hear of it after every lock is released.
 *
 * <p>Until someone listens or picks, a change only counts itself and the next read of the view
 * rebuilds it: a group of 1,000 coming up would otherwise build 2,000 views of up to 1,000
 * endpoints that nobody looks at, quadratic in time and in garbage (40 KB per instance at 1,000).
 * Every view records how many changes it includes, and a read of one that misses a change made
 * before the read rebuilds (or waits for a rebuild that includes it): no pick returns an instance
 * whose change out of the view had finished when the pick began.
 */
final class GroupEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(GroupEndpoints.class);

    private final String process;
    /** The group's instances by id, as they are now. */
    private final Supplier<List<ManagedInstance>> instances;
    /** Changes of who may take traffic so far; a view records how many it includes. */
    private final AtomicLong changes = new AtomicLong();
    /** The newest version the listeners were told of (guarded by this). */
    private long announcedVersion;
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

    private record Published(Endpoints view, Picker picker, List<ManagedInstance> members, long changes) {
    }

    GroupEndpoints(String process, TrafficSettings traffic, Supplier<List<ManagedInstance>> instances) {
        this.process = process;
        this.instances = instances;
        this.traffic = traffic;
        this.balancer = traffic.loadBalancer().orElse(RoundRobin.INSTANCE);
        this.published = new Published(new Endpoints(process, 0, List.of(), 0), c -> null, List.of(), 0);
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

    /** The published view and picker, rebuilt first if it does not include every change made so far. */
    private Published current() {
        Published p = published;
        if (p.changes() != changes.get()) {
            refresh(); // waits for a rebuild in progress, which may not include the latest change
            p = published;
        }
        return p;
    }

    /**
     * Who may take traffic may have changed. Rebuilds and announces now when someone listens or
     * picks (a proxy, a client's leases), so their picks stay cheap; otherwise the next read does
     * it. Call without holding an instance's lock.
     */
    void changed() {
        changes.incrementAndGet(); // before the listeners are looked at: addListener looks after adding
        if (tracked || !listeners.isEmpty()) {
            refresh();
            announce();
        }
    }

    void addListener(Consumer<Endpoints> listener) {
        listeners.add(listener);
        refresh();
        announce(); // a view built for a read and never announced, or by a change that saw no listener
    }

    void removeListener(Consumer<Endpoints> listener) {
        listeners.remove(listener);
    }

    /**
     * Rebuilds the view from the group's instances unless it already includes every change;
     * publishes a new one when the instances that may take traffic changed. Takes no instance's
     * lock, so a pick may call it from anywhere.
     */
    private void refresh() {
        synchronized (this) {
            // Read before the instances: a change after this point is not in the view, and says so.
            long seen = changes.get();
            Published now = published;
            if (now.changes() == seen && !stale) {
                return; // a rebuild this reader waited for included everything
            }
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
            if (!stale && members.equals(now.members()) && instances.size() == now.view().total()) {
                published = new Published(now.view(), now.picker(), now.members(), seen); // the same instances
                return;
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
            published = new Published(view, picker, List.copyOf(members), seen);
        }
    }

    /** Tells the listeners of the published view, if they have not heard of it (outside the lock). */
    private void announce() {
        Endpoints view;
        synchronized (this) {
            view = published.view();
            if (view.version() <= announcedVersion) {
                return;
            }
            announcedVersion = view.version();
        }
        for (Consumer<Endpoints> l : listeners) {
            try {
                l.accept(view);
            } catch (RuntimeException e) {
                LOG.warn("endpoints listener {} threw on version {} of '{}'", l, view.version(), process, e);
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
