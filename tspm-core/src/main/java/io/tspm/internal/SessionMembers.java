package io.tspm.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes left in the session of a child that exited (its leftovers), found from a listing
 * of /proc kept from one call to the next: a full scan reads one stat file per process on the
 * machine (25 ms of CPU with 1,000 children), and one ran after every exit, so a crash loop of
 * many children, or many children killed in turn, paid it each time.
 *
 * <p>Why the kept listing finds every member: a member of the session was born into it after its
 * leader, by a fork inside it, so its pid was handed out after the leader's; and a process leaves a
 * session only by {@code setsid}, into a session named after itself, never into another's. So a
 * process known from an earlier read to be outside the session is still outside it, unless its pid
 * now names another process, which means the pid was handed out since the last listing (the
 * newest pid in {@code /proc/loadavg} moved past it): those pids are read again, as are pids not
 * seen before. A listing last brought up to date more than {@value #MAX_AGE_MILLIS} ms ago, or a
 * machine whose newest pid cannot be read, reads everything. The one case this misses is the pid
 * counter going right round within that second (a machine handing out its whole pid range,
 * 32,768 on some, in under a second), which the range test cannot see. The members found are read
 * once more before they are answered: a known member may have left since.
 *
 * <p>Listing /proc is itself the dearer part once the listing is kept (the kernel walks every pid
 * for it: 2.7 ms with 1,000 children). When few pids were handed out since the last listing, as
 * between the exits of children killed in turn, those pids are read directly and nothing is listed
 * (at least every {@value #MAX_UNLISTED_MILLIS} ms a listing runs all the same, and forgets the
 * processes gone since). A fork has its pid before /proc shows the child, so a pid handed out but
 * not found, by those reads or among the last before a listing, is read again on later calls for
 * {@value #BIRTH_NANOS} ns.
 */
final class SessionMembers {

    /** A kept listing not brought up to date for this long is not trusted: everything is read again. */
    static final long MAX_AGE_MILLIS = 1000;
    /** Fewer than this many pids handed out since the last listing are read directly, without listing /proc. */
    static final int MAX_DIRECT_READS = 128;
    /** How long reads of new pids may stand in for a listing, which also forgets the processes gone since. */
    static final long MAX_UNLISTED_MILLIS = 10_000;
    /**
     * How long a pid handed out but not found is read again: a fork has its pid before /proc
     * shows it, so a child being born then is found on a later call.
     */
    static final long BIRTH_NANOS = 100_000_000L;
    /** How many of the pids handed out last before a listing are read again when it did not show them. */
    private static final int RECENT_PIDS = 64;

    private static final long SELF = ProcessHandle.current().pid();

    private final long maxAgeNanos;
    private final int maxDirectReads;
    /** How many times /proc was listed, for the tests. */
    private int listings;

    private final byte[] buffer = new byte[1024];
    private Map<Long, ProcStat> known = Map.of();
    private long listedAtPid = -1;
    private long listedAtNanos;
    /** When /proc was last listed (not only new pids read). */
    private long realListingNanos;
    private boolean listed;
    /** Pids handed out that were not found when read directly, and since when: read again for {@link #BIRTH_NANOS}. */
    private final Map<Long, Long> notFound = new HashMap<>();
    private long selfSession = -1;

    SessionMembers() {
        this(MAX_AGE_MILLIS, MAX_DIRECT_READS);
    }

    /**
     * With a kept listing trusted for {@code maxAgeMillis}, and up to {@code maxDirectReads} new
     * pids read without a listing (tests: long enough for the path under test to be taken; -1 lists every time).
     */
    SessionMembers(long maxAgeMillis, int maxDirectReads) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
        this.maxDirectReads = maxDirectReads;
    }

    /** How many times /proc was listed. */
    synchronized int listings() {
        return listings;
    }

    private long selfSession() {
        if (selfSession < 0) {
            ProcStat me = ProcStat.read("/proc/" + SELF + "/stat", buffer);
            selfSession = me == null ? 0 : me.session();
        }
        return selfSession;
    }

    /**
     * The live members of {@code session} born at or after {@code leaderTicks}, other than the
     * leader itself, from a listing taken now; never this JVM or its session.
     */
    synchronized List<ProcStat> of(long session, long leaderTicks) {
        if (session == selfSession()) {
            return List.of();
        }
        long now = System.nanoTime();
        boolean full = !listed || now - listedAtNanos > maxAgeNanos;
        // The newest pid before the listing is where the next call's range starts (a process
        // created during the listing is read then); the one after it ends this call's range, so a
        // pid handed out again during the listing is read now.
        long newestBefore = ProcCache.newestPid(buffer);
        if (!full && listedAtPid > 0 && newestBefore >= listedAtPid && newestBefore - listedAtPid < maxDirectReads
                && now - realListingNanos <= MAX_UNLISTED_MILLIS * 1_000_000L) {
            return fromNewPids(session, leaderTicks, newestBefore, now);
        }
        listings++;
        notFound.clear(); // the listing reads every pid it does not know
        String[] names = ProcStat.PROC.toFile().list();
        long newest = ProcCache.newestPid(buffer);
        ProcStat leader = ProcStat.read("/proc/" + session + "/stat", buffer);
        if (leader != null && !leader.exited() && leader.startTicks() != leaderTicks) {
            return List.of(); // the pid names another process now: the session's name is its, not ours to touch
        }
        Map<Long, ProcStat> next = new HashMap<>(Math.max(16, known.size() * 4 / 3 + 16));
        List<ProcStat> members = new ArrayList<>();
        List<ProcStat> knownMembers = new ArrayList<>();
        if (names != null) {
            for (String name : names) {
                long pid = ProcCache.pidOf(name);
                if (pid < 0 || pid == SELF || pid == session) { // the leader is not its own leftover
                    continue;
                }
                ProcStat st = full || ProcCache.handedOutSince(pid, listedAtPid, newest) ? null : known.get(pid);
                boolean fresh = st == null;
                if (fresh) {
                    st = ProcStat.read("/proc/" + pid + "/stat", buffer);
                }
                if (st == null || st.exited()) {
                    continue;
                }
                next.put(pid, st);
                if (st.session() == session && st.startTicks() >= leaderTicks) {
                    (fresh ? members : knownMembers).add(st);
                }
            }
        }
        known = next;
        listedAtPid = newestBefore;
        listedAtNanos = now;
        realListingNanos = now;
        // Pids handed out just before the listing that it did not show may be forks /proc did not
        // show yet: a later read of new pids reads them again (a later listing would anyway).
        for (long pid = Math.max(1, newestBefore - RECENT_PIDS + 1); names != null && pid <= newestBefore; pid++) {
            if (!next.containsKey(pid)) {
                notFound.put(pid, now);
            }
        }
        listed = names != null;
        readAgain(knownMembers, session, members);
        return members;
    }

    /**
     * {@link #of} without a listing: only the pids handed out since the last one, up to
     * {@code newest}, are read, with those handed out earlier but not found then (a pid that names
     * no process, or only a thread, is skipped); then the kept members of {@code session} again.
     * This brings the kept listing up to date as a listing would (what it lacks was born since, in
     * that range), so its age starts again: what the age guards against is the pid counter going
     * right round between two calls.
     */
    private List<ProcStat> fromNewPids(long session, long leaderTicks, long newest, long now) {
        List<ProcStat> members = new ArrayList<>();
        for (java.util.Iterator<Map.Entry<Long, Long>> it = notFound.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> e = it.next();
            if (readNew(e.getKey(), session, leaderTicks, members) || now - e.getValue() > BIRTH_NANOS) {
                it.remove();
            }
        }
        for (long pid = listedAtPid + 1; pid <= newest; pid++) {
            if (!readNew(pid, session, leaderTicks, members)) {
                notFound.putIfAbsent(pid, now);
            }
        }
        listedAtPid = newest;
        listedAtNanos = now;
        // The leader after the reads, as after a listing: a pid reused meanwhile lends no session.
        ProcStat leader = ProcStat.read("/proc/" + session + "/stat", buffer);
        if (leader != null && !leader.exited() && leader.startTicks() != leaderTicks) {
            return List.of(); // the pid names another process now: the session's name is its, not ours to touch
        }
        List<ProcStat> knownMembers = new ArrayList<>();
        for (ProcStat st : known.values()) {
            if (st.session() == session && st.startTicks() >= leaderTicks && !members.contains(st)) {
                knownMembers.add(st);
            }
        }
        readAgain(knownMembers, session, members);
        return members;
    }

    /**
     * Reads new pid {@code pid} into the kept listing, adding it to {@code members} when it is one;
     * false when no process (alive or not) or thread answers to it.
     */
    private boolean readNew(long pid, long session, long leaderTicks, List<ProcStat> members) {
        ProcStat st = pid == SELF || pid == session ? null : ProcStat.read("/proc/" + pid + "/stat", buffer);
        if (st == null) {
            known.remove(pid);
            return pid == SELF || pid == session;
        }
        if (st.exited() || !isProcess(pid)) {
            known.remove(pid);
            return true;
        }
        known.put(pid, st);
        if (st.session() == session && st.startTicks() >= leaderTicks) {
            members.add(st);
        }
        return true;
    }

    /** Adds to {@code members} those of {@code was} still alive, still themselves and still in {@code session}. */
    private void readAgain(List<ProcStat> was, long session, List<ProcStat> members) {
        for (ProcStat w : was) {
            ProcStat st = ProcStat.read("/proc/" + w.pid() + "/stat", buffer);
            if (st == null || st.exited()) {
                known.remove(w.pid());
            } else {
                known.put(st.pid(), st);
                if (st.session() == session && st.startTicks() == w.startTicks()) {
                    members.add(st);
                }
            }
        }
    }

    /**
     * Whether {@code pid} is a process, not a thread of one: /proc answers for a thread's id too
     * (a listing does not show it), and its status names the process it belongs to.
     */
    private boolean isProcess(long pid) {
        int n;
        try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/" + pid + "/status")) {
            n = in.read(buffer, 0, buffer.length);
        } catch (java.io.IOException e) {
            return false; // gone
        }
        String status = new String(buffer, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = status.indexOf("\nTgid:");
        if (at < 0) {
            return true; // no such line: take it as the listing would
        }
        int end = status.indexOf('\n', at + 1);
        return status.substring(at + 6, end < 0 ? status.length() : end).trim().equals(Long.toString(pid));
    }
}
