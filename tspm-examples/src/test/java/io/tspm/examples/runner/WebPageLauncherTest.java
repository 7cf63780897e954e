package io.tspm.examples.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tspm.examples.runner.client.Json;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's web page in a real headless Chromium, against a real detached runner of three
 * processes: the browser logs in once with the link {@code tspm open} prints, the page shows every
 * instance, a click restarts one and the page follows (a new pid, no reload), a log line with
 * markup stays text; and the page's actions are refused without the cookie, as a GET, from
 * another Origin or through another Host name.
 */
@EnabledIfSystemProperty(named = "tspm.launcher", matches = ".+",
        disabledReason = "runs in the integration-test phase, once the launcher is assembled")
class WebPageLauncherTest {

    static final String HOSTILE = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> & done";
    static final Pattern LOGIN = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/login\\?code=([0-9a-f]{64})");

    @TempDir
    static Path dir;

    static Launcher tspm;
    static HeadlessChromium browser;
    static int port;

    @BeforeAll
    static void startRunnerAndBrowser() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available(), HeadlessChromium.MISSING);
        tspm = new Launcher(dir);
        Files.writeString(dir.resolve("noisy.sh"), "while true; do printf '%s\\n' '" + HOSTILE + "'; sleep 1; done\n");
        Files.writeString(dir.resolve("tspm.yaml"), String.join("\n",
                "processes:",
                "  - name: web",
                "    shell: 'while true; do echo \"web $TSPM_INSTANCE_ID tick\"; sleep 1; done'",
                "    instances: 2",
                "    stopTimeout: 2s",
                "  - name: worker",
                "    shell: 'while true; do echo working; sleep 1; done'",
                "    stopTimeout: 2s",
                "  - name: noisy",
                "    shell: 'sh noisy.sh'",
                "    stopTimeout: 2s",
                ""));
        Launcher.Result start = tspm.run("start", "tspm.yaml");
        assertThat(start.exit()).as(start.toString()).isZero();
        port = Integer.parseInt(Files.readString(dir.resolve(".tspm/port")).trim());
        // close() awaits chromedriver and every descendant; Chromium's crash handlers leave the tree (their
        // parent is init) but keep the environment, mark included: the check that nothing is left sees them.
        browser = HeadlessChromium.start(dir.resolve("chromium"), Map.of("TSPM_E2E_MARK", tspm.mark));
    }

    @AfterAll
    static void stopBrowserAndRunner() throws Exception {
        if (tspm == null) {
            return;
        }
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                tspm.run("kill");
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tspm.marked()).isEmpty());
            } finally {
                tspm.killLeftovers();
            }
        }
    }

    @Test
    void thePageShowsEveryInstance_aClickRestartsOne_andThePageFollowsWithoutAReload() throws Exception {
        Launcher.Result open = tspm.run("open");
        assertThat(open.exit()).as(open.toString()).isZero();
        assertThat(open.out().trim()).matches(LOGIN);
        browser.navigate(open.out().trim());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows())
                .containsExactly("web#0 running", "web#1 running", "worker#0 running", "noisy#0 running"));
        assertThat(browser.script("return location.pathname")).as("off the used login link").isEqualTo("/");
        List<Map<?, ?>> cookies = browser.cookies();
        assertThat(cookies).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<Object, Object> cookie = (Map<Object, Object>) cookies.get(0);
        assertThat(cookie).containsEntry("name", "tspm_session_" + port).containsEntry("httpOnly", true)
                .containsEntry("sameSite", "Strict");
        assertThat(browser.script("return document.cookie")).as("HttpOnly: no script reads it").isEqualTo("");

        // The line with markup is shown as the text it is, and nothing of it ran.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(browser.script(
                "return Array.from(document.querySelectorAll('#logs div')).map(d => d.textContent)"
                        + ".filter(t => t.includes('noisy#0')).slice(-1)"))
                .asList().singleElement().asString().endsWith("noisy#0 | " + HOSTILE));
        assertThat(browser.script("return [typeof window.pwned, document.querySelectorAll('#logs img, #logs script,"
                + " #rows script').length]")).isEqualTo(List.of("undefined", 0L));

        String web0 = pid("web", 0);
        String before = pid("web", 1);
        assertThat(before).isEqualTo(realPid("web", 1));
        browser.script("window.notReloaded = true");
        browser.click("#rows tr[data-process='web'][data-instance='1'] button[data-action='restart']");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String now = pid("web", 1);
            assertThat(now).isNotEqualTo(before).matches("\\d+").isEqualTo(realPid("web", 1));
            assertThat(rows()).contains("web#1 running");
        });
        assertThat(browser.script("return window.notReloaded === true")).as("followed without a reload").isEqualTo(true);
        assertThat((String) browser.script("return document.getElementById('message').textContent"))
                .contains("restarting web#1");
        assertThat(pid("web", 0)).as("only the one clicked").isEqualTo(web0);
    }

    @Test
    void actionsNeedTheCookie_aPost_thisOrigin_andThisHost() throws Exception {
        String cookie = login();
        String origin = "http://127.0.0.1:" + port;
        String action = "/ui/actions/restart?process=worker&instance=0";

        assertThat(request("POST", action, null, origin, null)).as("no cookie").startsWith("HTTP/1.1 401");
        assertThat(request("POST", action, "tspm_session_" + port + "=" + "0".repeat(64), origin, null))
                .as("a wrong cookie").startsWith("HTTP/1.1 401");
        assertThat(request("GET", action, cookie, null, null)).as("a GET").startsWith("HTTP/1.1 405");
        assertThat(request("POST", action, cookie, "http://evil.example", null)).as("another site")
                .startsWith("HTTP/1.1 403");
        assertThat(request("POST", action, cookie, null, null)).as("no Origin").startsWith("HTTP/1.1 403");
        assertThat(request("POST", action, cookie, "http://evil.example:" + port, "evil.example:" + port))
                .as("a DNS-rebinding page: another Host").startsWith("HTTP/1.1 421");
        assertThat(request("GET", "/ui/processes", null, null, null)).as("reads need the cookie too")
                .startsWith("HTTP/1.1 401");
        assertThat(request("GET", "/", null, null, null)).startsWith("HTTP/1.1 401").contains("tspm open")
                .doesNotContain("worker");

        String page = request("GET", "/", cookie, null, null);
        // The JDK's server writes header names in its own case ("Content-security-policy").
        assertThat(page).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Security-Policy: default-src 'none'")
                .contains("<script src=\"/ui/app.js\"");
        String ok = request("POST", action, cookie, origin, null);
        assertThat(ok).as("the same action, done right").startsWith("HTTP/1.1 202").contains("restarting worker#0");
        assertThat(request("GET", "/v1/processes", cookie, null, null)).as("the cookie is not the API's token")
                .startsWith("HTTP/1.1 401");
    }

    @Test
    void aLoginLinkOpensOneSessionOnce_andOpenStartsTheBrowser() throws Exception {
        Matcher m = link(tspm.run("open").out());
        String first = request("GET", "/login?code=" + m.group(2), null, null, null);
        assertThat(first).startsWith("HTTP/1.1 303").containsIgnoringCase("Location: /")
                .contains("HttpOnly", "SameSite=Strict");
        assertThat(request("GET", "/login?code=" + m.group(2), null, null, null)).as("used once")
                .startsWith("HTTP/1.1 401");
        assertThat(request("GET", "/login?code=" + "0".repeat(64), null, null, null)).startsWith("HTTP/1.1 401");

        Path opened = dir.resolve("opened.txt");
        Path fakeBrowser = dir.resolve("fake-browser.sh");
        Files.writeString(fakeBrowser, "#!/bin/sh\necho \"$1\" > '" + opened + "'\n");
        fakeBrowser.toFile().setExecutable(true);
        tspm.extraEnv.put("BROWSER", fakeBrowser.toString());
        try {
            Launcher.Result open = tspm.run("open", "--browser");
            assertThat(open.exit()).as(open.toString()).isZero();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(opened).exists());
            assertThat(Files.readString(opened).trim()).isEqualTo(open.out().trim()).matches(LOGIN);
        } finally {
            tspm.extraEnv.remove("BROWSER");
        }
    }

    /** Each row as "name#id status". */
    private static List<Object> rows() throws Exception {
        @SuppressWarnings("unchecked")
        List<Object> rows = (List<Object>) browser.script("return Array.from(document.querySelectorAll('#rows tr')).map(r =>"
                + " r.dataset.process + '#' + r.dataset.instance + ' '"
                + " + r.querySelector('[data-field=status]').textContent)");
        return rows;
    }

    private static String pid(String name, int id) throws Exception {
        return (String) browser.script("return document.querySelector(\"#rows tr[data-process='\" + arguments[0]"
                + " + \"'][data-instance='\" + arguments[1] + \"'] [data-field=pid]\").textContent", name, id);
    }

    private static String realPid(String name, int id) throws Exception {
        for (Object o : (List<?>) Json.parse(tspm.run("jlist").out())) {
            Map<?, ?> i = (Map<?, ?>) o;
            if (name.equals(i.get("name")) && Long.valueOf(id).equals(i.get("id"))) {
                return String.valueOf(i.get("pid"));
            }
        }
        throw new AssertionError("no " + name + "#" + id + " in jlist");
    }

    private static Matcher link(String out) {
        Matcher m = LOGIN.matcher(out.trim());
        assertThat(m.matches()).as(out).isTrue();
        return m;
    }

    /** A session cookie ("name=value"), through a login link as the browser gets one. */
    private static String login() throws Exception {
        String reply = request("GET", "/login?code=" + link(tspm.run("open").out()).group(2), null, null, null);
        Matcher m = Pattern.compile("(?i)Set-Cookie: ([^;]+);").matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        return m.group(1);
    }

    private static String request(String method, String path, String cookie, String origin, String host)
            throws Exception {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(host != null ? host : "127.0.0.1:" + port).append("\r\n");
        if (cookie != null) {
            sb.append("Cookie: ").append(cookie).append("\r\n");
        }
        if (origin != null) {
            sb.append("Origin: ").append(origin).append("\r\n");
        }
        if (method.equals("POST")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
