package io.tspm.examples.runner.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The web page's logins: one-time codes ({@code tspm open} asks for one with the token; the browser
 * trades it for a session once, within {@link #CODE_LIFETIME}) and the sessions they opened, which
 * live as long as the runner. Both are kept only as SHA-256 digests, so a lookup's timing tells
 * nothing of a guess. Bounded: the oldest code or session goes when a new one would pass the limit.
 */
final class WebSessions {

    /** How long a login code may wait to be used. */
    static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    /** Codes not yet used, at most. */
    static final int MAX_CODES = 16;
    /** Open sessions, at most (a browser per operator, a few tabs share one). */
    static final int MAX_SESSIONS = 32;

    private final LongSupplier nanoTime;
    private final SecureRandom random = new SecureRandom();
    /** Digest of a code to the nanoTime it expires at, oldest first. */
    private final Map<String, Long> codes = new LinkedHashMap<>();
    /** Digests of the sessions, oldest first. */
    private final Map<String, Boolean> sessions = new LinkedHashMap<>();

    /** Sessions on {@code nanoTime} (System::nanoTime, or a test's ticker). */
    WebSessions(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** A new one-time login code. */
    synchronized String newCode() {
        String code = randomHex();
        codes.put(digest(code), nanoTime.getAsLong() + CODE_LIFETIME.toNanos());
        trim(codes, MAX_CODES);
        return code;
    }

    /** The new session {@code code} opens, once: empty when it is unknown, used or expired. */
    synchronized Optional<String> redeem(String code) {
        if (code == null || code.isEmpty()) {
            return Optional.empty();
        }
        Long expires = codes.remove(digest(code));
        if (expires == null || nanoTime.getAsLong() - expires > 0) {
            return Optional.empty();
        }
        String session = randomHex();
        sessions.put(digest(session), Boolean.TRUE);
        trim(sessions, MAX_SESSIONS);
        return Optional.of(session);
    }

    /** Whether {@code session} is one this runner opened. */
    synchronized boolean valid(String session) {
        return session != null && !session.isEmpty() && sessions.containsKey(digest(session));
    }

    private String randomHex() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    private static void trim(Map<String, ?> map, int max) {
        Iterator<String> oldest = map.keySet().iterator();
        while (map.size() > max) {
            oldest.next();
            oldest.remove();
        }
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
