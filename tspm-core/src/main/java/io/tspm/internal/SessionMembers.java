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
 * seen before. A listing more than {@value #MAX_AGE_MILLIS} ms old, or a machine whose newest pid
 * cannot be read, reads everything. The one case this misses is the pid counter going right round
 * within that second (a machine handing out its whole pid range, 32,768 on some, in under a second),
 * which the range test cannot see. The members found are read once more before they are answered:
 * a known member may have left since.
 */
final class SessionMembers {

    /** A kept listing older than this is not trusted: everything is read again. */
    static final long MAX_AGE_MILLIS = 1000;

    private static final long SELF = ProcessHandle.current().pid();

    private final long maxAgeNanos;

    private final byte[] buffer = new byte[1024];
    private Map<Long, ProcStat> known = Map.of();
    private long listedAtPid = -1;
    private long listedAtNanos;
    private boolean listed;
    private long selfSession = -1;

    SessionMembers() {
        this(MAX_AGE_MILLIS);
    }

    /** With a kept listing trusted for {@code maxAgeMillis} (tests: long enough for the kept path to be taken). */
    SessionMembers(long maxAgeMillis) {
        this.maxAgeNanos = maxAgeMillis * 1_000_000L;
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
        listed = names != null;
        for (ProcStat was : knownMembers) {
            ProcStat st = ProcStat.read("/proc/" + was.pid() + "/stat", buffer);
            if (st == null || st.exited()) {
                known.remove(was.pid());
            } else {
                known.put(st.pid(), st);
                if (st.session() == session && st.startTicks() == was.startTicks()) {
                    members.add(st);
                }
            }
        }
        return members;
    }
}
