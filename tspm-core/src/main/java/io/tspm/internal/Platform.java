package io.tspm.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this machine offers for spawning and reaping: a Linux /proc, util-linux's {@code setsid}
 * (each child leads its own session, so its whole tree can be found and killed) and
 * {@code setpriv --pdeathsig} (the kernel kills the child when its spawning thread dies).
 */
final class Platform {

    private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin",
            "/usr/local/bin");

    private final boolean unix;
    private final boolean proc;
    private final String setsid;
    private final String setpriv;
    /** setpriv for switching users, found whether or not the parent-death signal is wanted. */
    private final String setprivTool;
    private final String nice;
    private boolean pdeathsigMissing;
    private String libcDefaultPath;
    private boolean libcDefaultPathAsked;

    /** Detected by {@link #detect}; built directly only by tests that need a machine without wrappers. */
    Platform(boolean unix, boolean proc, String setsid, String setpriv, String nice) {
        this.unix = unix;
        this.proc = proc;
        this.setsid = setsid;
        this.setpriv = setpriv;
        this.setprivTool = setpriv != null ? setpriv : unix ? findSystemTool("setpriv") : null;
        this.nice = nice;
    }

    /**
     * Looks at this machine; {@code setpriv} is looked for (and verified by running it once) only
     * when {@code wantPdeathsig}.
     */
    public static Platform detect(boolean wantPdeathsig) {
        boolean unix = File.separatorChar == '/' && new File("/bin/sh").exists();
        boolean proc = unix && ProcStat.available();
        String setsid = proc ? findSystemTool("setsid") : null;
        String setpriv = proc && wantPdeathsig ? findSystemTool("setpriv") : null;
        if (setpriv != null && !pdeathsigWorks(setpriv)) {
            setpriv = null;
        }
        Platform p = new Platform(unix, proc, setsid, setpriv, unix ? findSystemTool("nice") : null);
        p.pdeathsigMissing = wantPdeathsig && setpriv == null;
        return p;
    }


    public boolean isUnix() {
        return unix;
    }

    /** Whether /proc can be read (start times, sessions, resource use). */
    public boolean hasProc() {
        return proc;
    }

    /** Whether each child runs in its own session, so descendants are found even when orphaned. */
    public boolean hasSessions() {
        return setsid != null;
    }

    /** Whether children die with their spawning thread (the kernel's parent-death signal). */
    public boolean hasPdeathsig() {
        return setpriv != null;
    }

    /**
     * The argv prefix that wraps every child: {@code setpriv --pdeathsig KILL} (when asked for and
     * found), {@code setsid} and {@code nice -n N} where available. Each execs the next, so the child keeps the spawned pid.
     */
    List<String> wrapperPrefix(int niceness, boolean pdeathsig) {
        return wrapperPrefix(niceness, pdeathsig, null, null, true);
    }

    /**
     * The wrappers before a child's program: the nice value (while still privileged: a negative
     * one needs it), {@code setpriv} for the parent-death signal and another user and group, then
     * the new session.
     *
     * @param user  the user to run as, or null; {@code group} the group, or null for the user's primary one
     */
    List<String> wrapperPrefix(int niceness, boolean pdeathsig, String user, String group) {
        return wrapperPrefix(niceness, pdeathsig, user, group, true);
    }

    /** @param withSetsid false when the spawner makes the session itself (the native path) */
    List<String> wrapperPrefix(int niceness, boolean pdeathsig, String user, String group, boolean withSetsid) {
        List<String> prefix = new ArrayList<>(12);
        if (niceness != 0) {
            if (nice == null) {
                throw new IllegalStateException("nice " + niceness + " was asked for, but no 'nice' program exists");
            }
            prefix.add(nice);
            prefix.add("-n");
            prefix.add(Integer.toString(niceness));
        }
        boolean withPdeathsig = pdeathsig && setpriv != null;
        if (withPdeathsig || (user != null && setprivTool != null)) {
            prefix.add(withPdeathsig ? setpriv : setprivTool);
            if (withPdeathsig) {
                prefix.add("--pdeathsig");
                prefix.add("KILL");
            }
            if (user != null) {
                prefix.add("--reuid=" + user);
                prefix.add("--regid=" + (group != null ? group : primaryGroup(user)));
                prefix.add("--init-groups");
            }
        } else if (user != null) {
            throw new IllegalStateException("user '" + user + "' was asked for, but no 'setpriv' program"
                    + " (util-linux) exists to switch to it");
        }
        if (setsid != null && withSetsid) {
            prefix.add(setsid);
        }
        return prefix;
    }

    /** User names (and ids) to their primary group ids, asked of {@code id -g} once each. */
    private final java.util.Map<String, String> primaryGroups = new java.util.concurrent.ConcurrentHashMap<>();

    /** The primary group id of {@code user}; IllegalStateException when there is no such user. */
    String primaryGroup(String user) {
        String gid = primaryGroups.get(user);
        if (gid == null) {
            String id = findSystemTool("id");
            gid = id == null ? null : firstLineOf(id, "-g", "--", user);
            if (gid == null) {
                throw new IllegalStateException("user '" + user + "' does not exist on this machine (id -g found no"
                        + " such user)");
            }
            primaryGroups.put(user, gid);
        }
        return gid;
    }

    /**
     * Why this JVM cannot run children as another user, or null when it can: it needs to be root,
     * or to hold CAP_SETUID and CAP_SETGID.
     */
    static String cannotSwitchUser() {
        try {
            String uid = null;
            long caps = 0;
            for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = line.substring(4).trim().split("\\s+")[1]; // the effective uid
                } else if (line.startsWith("CapEff:")) {
                    caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            boolean capable = (caps & (1L << 6)) != 0 && (caps & (1L << 7)) != 0; // CAP_SETGID, CAP_SETUID
            if ("0".equals(uid) || capable) {
                return null;
            }
            return "the supervisor runs as uid " + uid + " without CAP_SETUID and CAP_SETGID; run it as root, or"
                    + " grant them (setcap cap_setuid,cap_setgid+ep on the java binary)";
        } catch (java.io.IOException | RuntimeException e) {
            return null; // no /proc: let setpriv say
        }
    }

    /** {@code setsid} alone where it exists: a new session without the parent-death signal. */
    List<String> sessionPrefix() {
        return setsid == null ? List.of() : List.of(setsid);
    }

    /**
     * confstr's {@code _CS_PATH} ({@code getconf PATH}, asked once): where libc's execvp looks for a
     * bare name when the environment has no PATH ({@code /bin:/usr/bin} on glibc); null when unknown.
     */
    synchronized String libcDefaultPath() {
        if (!libcDefaultPathAsked) {
            libcDefaultPathAsked = true;
            String getconf = unix ? findSystemTool("getconf") : null;
            libcDefaultPath = getconf == null ? null : firstLineOf(getconf, "PATH");
        }
        return libcDefaultPath;
    }

    /** The null device, for stdin (and output that is not captured). */
    File devNull() {
        return new File(unix ? "/dev/null" : "NUL");
    }

    /** Describes what is missing, for a one-time log line. */
    Optional<String> limitations() {
        List<String> missing = new ArrayList<>();
        if (!proc) {
            missing.add("no /proc: descendants that outlive their parent are not found, pids are not checked by"
                    + " start time in the companion reaper, and resource samples give the main process's CPU only"
                    + " (no memory, threads or open files; maxMemory is not enforced)");
        }
        if (proc && setsid == null) {
            missing.add("no setsid: grandchildren whose parent died are not found on stop");
        }
        if (pdeathsigMissing) {
            missing.add("parentDeathSignal was asked for, but there is no setpriv with --pdeathsig: the companion"
                    + " reaper is the only guard");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", missing));
    }

    private static String findSystemTool(String name) {
        for (String dir : SYSTEM_DIRS) {
            Path p = Paths.get(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The first line a short program prints, or null when it fails or prints nothing. */
    private static String firstLineOf(String... argv) {
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            String out;
            try (java.io.InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String line = out.lines().findFirst().orElse("").strip();
            return p.exitValue() == 0 && !line.isEmpty() ? line : null;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    private static boolean pdeathsigWorks(String setpriv) {
        try {
            Process p = new ProcessBuilder(setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c", "exit 0")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }
}
