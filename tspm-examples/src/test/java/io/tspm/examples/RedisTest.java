package io.tspm.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.tspm.ProcessSpec;
import io.tspm.examples.helpers.Programs;
import io.tspm.healthcheck.Probes;
import io.tspm.junit.Helper;
import io.tspm.junit.TspmExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * redis-server on a free port, in memory only, ready when its port takes connections. Skipped
 * without redis-server: a condition, not an assumption in {@code @BeforeAll}, which would run
 * only after the extension had failed to start it.
 */
@EnabledIf(value = "redisIsInstalled",
        disabledReason = "redis-server is not on the PATH: install the Debian package redis-server to run this test")
class RedisTest {

    static boolean redisIsInstalled() {
        return Programs.find("redis-server").isPresent();
    }

    @RegisterExtension
    static final TspmExtension helpers = TspmExtension.builder()
            .addProcess(ProcessSpec.builder("redis")
                    .command("redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "",
                            "--appendonly", "no")
                    .freePorts()
                    .readinessProbe(Probes.tcp("{port}"))
                    .build())
            .build();

    /** One RESP command, one reply line (enough for PING, SET and a short GET). */
    private static String call(BufferedReader in, OutputStream out, String... args) throws Exception {
        StringBuilder cmd = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        String reply = in.readLine();
        return reply.startsWith("$") && !reply.equals("$-1") ? in.readLine() : reply;
    }

    @Test
    void setsAndGetsAKey(@Helper("redis") int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();

            assertThat(call(in, out, "PING")).isEqualTo("+PONG");
            assertThat(call(in, out, "SET", "greeting", "hello")).isEqualTo("+OK");
            assertThat(call(in, out, "GET", "greeting")).isEqualTo("hello");
        }
    }
}
