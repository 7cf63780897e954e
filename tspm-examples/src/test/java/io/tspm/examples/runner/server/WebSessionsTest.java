package io.tspm.examples.runner.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WebSessionsTest {

    final AtomicLong now = new AtomicLong(1_000);
    final WebSessions sessions = new WebSessions(now::get);

    @Test
    void aCodeOpensOneSession_once() {
        String code = sessions.newCode();
        assertThat(code).matches("[0-9a-f]{64}");
        String session = sessions.redeem(code).orElseThrow();
        assertThat(session).matches("[0-9a-f]{64}").isNotEqualTo(code);
        assertThat(sessions.valid(session)).isTrue();
        assertThat(sessions.redeem(code)).as("used").isEmpty();
        assertThat(sessions.valid(code)).as("a code is no session").isFalse();
    }

    @Test
    void unknownEmptyAndMissingValues_openNothing() {
        sessions.newCode();
        assertThat(sessions.redeem("0".repeat(64))).isEmpty();
        assertThat(sessions.redeem("")).isEmpty();
        assertThat(sessions.redeem(null)).isEmpty();
        assertThat(sessions.valid(null)).isFalse();
        assertThat(sessions.valid("")).isFalse();
        assertThat(sessions.valid("0".repeat(64))).isFalse();
    }

    @Test
    void aCode_expiresAfterItsLifetime() {
        String early = sessions.newCode();
        String late = sessions.newCode();
        now.addAndGet(WebSessions.CODE_LIFETIME.toNanos());
        assertThat(sessions.redeem(early)).as("at the very end of its lifetime").isPresent();
        now.incrementAndGet();
        assertThat(sessions.redeem(late)).isEmpty();
    }

    @Test
    void codesAndSessions_areBounded_theOldestGoes() {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i <= WebSessions.MAX_CODES; i++) {
            codes.add(sessions.newCode());
        }
        assertThat(sessions.redeem(codes.get(0))).isEmpty();
        assertThat(sessions.redeem(codes.get(1))).isPresent();

        List<String> open = new ArrayList<>();
        for (int i = 0; i < WebSessions.MAX_SESSIONS + 1; i++) {
            open.add(sessions.redeem(sessions.newCode()).orElseThrow());
        }
        assertThat(sessions.valid(open.get(0))).isFalse();
        assertThat(sessions.valid(open.get(1))).isTrue();
        assertThat(sessions.valid(open.get(WebSessions.MAX_SESSIONS))).isTrue();
    }
}
