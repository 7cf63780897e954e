package io.tspm.healthcheck;

import io.tspm.spi.InvalidSettingException;
import io.tspm.spi.Probe;
import io.tspm.spi.ProbeType;
import io.tspm.spi.ProbeTypeProvider;
import io.tspm.spi.SettingKey;
import io.tspm.spi.SettingKey.Kind;
import io.tspm.spi.TypeSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The built-in probes as {@link ProbeType}s, so configuration creates them by type name
 * ({@code http}, {@code https}, {@code tcp}, {@code command}, {@code logLine}, {@code readyFile},
 * {@code all}, {@code any}) and writes them back out. Found through {@link java.util.ServiceLoader}
 * as a {@link ProbeTypeProvider}; the settings of each type are listed by its {@link ProbeType#keys()}.
 */
public final class ProbeTypes implements ProbeTypeProvider {

    private static final String LOOPBACK = "127.0.0.1";

    /** The provider {@link java.util.ServiceLoader} instantiates. */
    public ProbeTypes() {
    }

    @Override
    public List<ProbeType> probeTypes() {
        return List.of(http("http"), http("https"), tcp(), command(), logLine(), readyFile(),
                composite("all", Probes::all, AllProbe.class),
                composite("any", Probes::any, AnyProbe.class));
    }

    private static ProbeType http(String scheme) {
        List<SettingKey> keys = List.of(
                SettingKey.of("url", Kind.STRING, "the whole URL, <code>{port}</code>, {id} and {name} filled in"
                        + " at each check; else built from host, port and path"),
                SettingKey.of("host", Kind.STRING, "the host (default 127.0.0.1)"),
                SettingKey.of("port", Kind.PORT, "the port, or {port} (the instance's own port, the default)"),
                SettingKey.of("path", Kind.STRING, "the path (default /)"),
                SettingKey.of("method", Kind.STRING, "GET, HEAD or POST (default GET)"),
                SettingKey.of("body", Kind.STRING, "a request body: sends a POST"),
                SettingKey.of("minStatus", Kind.INTEGER, "the lowest passing status (default 200)"),
                SettingKey.of("maxStatus", Kind.INTEGER, "the highest passing status (default 399)"),
                SettingKey.of("expectBody", Kind.STRING, "text the body must contain"),
                SettingKey.of("expectBodyMatching", Kind.STRING, "a regex the body must match"),
                SettingKey.of("headers", Kind.STRING_MAP, "request headers"),
                SettingKey.of("trustAllCertificates", Kind.BOOLEAN, "accept any TLS certificate (tests only)"));
        return new Type(scheme, Set.of(), keys, s -> createHttp(scheme, s), p -> p instanceof HttpProbe
                && ((HttpProbe) p).type().equals(scheme) ? Optional.of(httpSettings((HttpProbe) p)) : Optional.empty());
    }

    private static Probe createHttp(String scheme, TypeSettings s) {
        String url;
        if (s.has("url")) {
            for (String part : List.of("host", "port", "path")) {
                if (s.has(part)) {
                    throw s.invalid(part, "left out when url is given (url already names the " + part + ")");
                }
            }
            url = s.requiredString("url", "a URL such as " + scheme + "://127.0.0.1:{port}/health");
            if (!url.regionMatches(true, 0, scheme + "://", 0, scheme.length() + 3)) {
                throw s.invalid("url", "a URL starting with " + scheme + "://, but was '" + url + "'");
            }
        } else {
            String path = s.string("path").orElse("/");
            url = scheme + "://" + s.string("host").orElse(LOOPBACK) + ":" + s.port("port").orElse("{port}")
                    + (path.startsWith("/") ? path : "/" + path);
        }
        HttpProbe p = Probes.http(url);
        Optional<String> body = s.string("body");
        Optional<String> method = s.string("method");
        if (body.isPresent()) {
            if (method.isPresent() && !method.get().equalsIgnoreCase("POST")) {
                throw s.invalid("method", "POST (or left out) when a body is given, but was '" + method.get() + "'");
            }
            p = p.post(body.get());
        } else if (method.isPresent()) {
            p = p.method(method.get());
        }
        if (s.has("minStatus") || s.has("maxStatus")) {
            p = p.expectStatus(s.integer("minStatus").orElse(200), s.integer("maxStatus").orElse(399));
        }
        p = s.string("expectBody").map(p::expectBody).orElse(p);
        p = s.string("expectBodyMatching").map(p::expectBodyMatching).orElse(p);
        for (Map.Entry<String, String> h : s.stringMap("headers").entrySet()) {
            p = p.header(h.getKey(), h.getValue());
        }
        if (s.flag("trustAllCertificates").orElse(false)) {
            p = p.trustAllCertificates();
        }
        return p;
    }

    private static Map<String, Object> httpSettings(HttpProbe p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", p.urlTemplate());
        if (p.requestBody().isPresent()) {
            m.put("body", p.requestBody().get());
        } else if (!p.method().equals("GET")) {
            m.put("method", p.method());
        }
        if (p.minStatus() != 200) {
            m.put("minStatus", p.minStatus());
        }
        if (p.maxStatus() != 399) {
            m.put("maxStatus", p.maxStatus());
        }
        p.expectedBody().ifPresent(b -> m.put("expectBody", b));
        p.expectedBodyPattern().ifPresent(b -> m.put("expectBodyMatching", b.pattern()));
        if (!p.headers().isEmpty()) {
            m.put("headers", p.headers());
        }
        if (p.trustsAllCertificates()) {
            m.put("trustAllCertificates", true);
        }
        return m;
    }

    private static ProbeType tcp() {
        List<SettingKey> keys = List.of(
                SettingKey.of("host", Kind.STRING, "the host (default 127.0.0.1)"),
                SettingKey.of("port", Kind.PORT, "the port, or {port} (the instance's own port, the default)"));
        return new Type("tcp", Set.of(), keys,
                s -> Probes.tcp(s.string("host").orElse(LOOPBACK), s.port("port").orElse("{port}")),
                p -> {
                    if (!(p instanceof TcpProbe)) {
                        return Optional.empty();
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (!((TcpProbe) p).host().equals(LOOPBACK)) {
                        m.put("host", ((TcpProbe) p).host());
                    }
                    m.put("port", ((TcpProbe) p).portTemplate());
                    return Optional.of(m);
                });
    }

    private static ProbeType command() {
        List<SettingKey> keys = List.of(SettingKey.of("command", Kind.STRINGS,
                "the program and its arguments (a list, no shell); a single string runs through /bin/sh -c"));
        return new Type("command", Set.of(), keys, s -> {
            if (!s.has("command")) {
                throw s.invalid("command", "set: the program and its arguments, such as [pg_isready, -q]");
            }
            List<String> argv = s.strings("command");
            if (argv.size() == 1 && argv.get(0).indexOf(' ') >= 0) {
                argv = List.of("/bin/sh", "-c", argv.get(0));
            }
            return Probes.command(argv.toArray(new String[0]));
        }, p -> p instanceof CommandProbe ? Optional.of(Map.of("command", ((CommandProbe) p).command()))
                : Optional.empty());
    }

    private static ProbeType logLine() {
        List<SettingKey> keys = List.of(
                SettingKey.of("pattern", Kind.STRING, "a regex a line of output must match"),
                SettingKey.of("times", Kind.INTEGER, "how many matching lines it takes (default 1)"),
                SettingKey.of("failOn", Kind.STRINGS, "regexes of lines that fail the start at once"));
        return new Type("logLine", Set.of("log-line"), keys, s -> {
            LogLineProbe p = Probes.logLine(s.requiredString("pattern", "a regex a line must match, such as"
                    + " 'Started .* in'"));
            if (s.has("times")) {
                p = p.times(s.integer("times").orElse(1));
            }
            List<String> failOn = s.strings("failOn");
            return failOn.isEmpty() ? p : p.failOn(failOn.toArray(new String[0]));
        }, p -> {
            if (!(p instanceof LogLineProbe)) {
                return Optional.empty();
            }
            LogLineProbe l = (LogLineProbe) p;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern", l.pattern().pattern());
            if (l.times() != 1) {
                m.put("times", l.times());
            }
            if (!l.failurePatterns().isEmpty()) {
                List<String> failOn = new ArrayList<>();
                l.failurePatterns().forEach(f -> failOn.add(f.pattern()));
                m.put("failOn", failOn);
            }
            return Optional.of(m);
        });
    }

    private static ProbeType readyFile() {
        List<SettingKey> keys = List.of(SettingKey.of("variable", Kind.STRING,
                "the variable that tells the child the file's path (default TSPM_READY_FILE)"));
        return new Type("readyFile", Set.of("ready-file"), keys, s -> {
            String variable = s.string("variable").orElse(ReadyFileProbe.DEFAULT_VARIABLE);
            if (!Pattern.matches("[A-Za-z_][A-Za-z0-9_]*", variable)) {
                throw s.invalid("variable", "an environment variable name, but was '" + variable + "'");
            }
            return new ReadyFileProbe(variable);
        }, p -> {
            if (!(p instanceof ReadyFileProbe)) {
                return Optional.empty();
            }
            String variable = ((ReadyFileProbe) p).variable();
            return Optional.of(variable.equals(ReadyFileProbe.DEFAULT_VARIABLE) ? Map.of()
                    : Map.of("variable", variable));
        });
    }

    private static ProbeType composite(String name, Function<Probe[], Probe> make,
            Class<? extends CompositeProbe> type) {
        List<SettingKey> keys = List.of(SettingKey.of("probes", Kind.PROBES, "the probes it combines"));
        return new Type(name, Set.of(), keys, s -> {
            List<Probe> probes = s.probes("probes");
            if (probes.isEmpty() && !s.has("probes")) {
                throw s.invalid("probes", "a list of probes, each with its type");
            }
            return make.apply(probes.toArray(new Probe[0]));
        }, p -> type.isInstance(p) ? Optional.of(Map.of("probes", ((CompositeProbe) p).probes())) : Optional.empty());
    }

    /** One built-in type: its name, keys, and the two directions. */
    private static final class Type implements ProbeType {
        private final String name;
        private final Set<String> aliases;
        private final List<SettingKey> keys;
        private final Function<TypeSettings, Probe> create;
        private final Function<Probe, Optional<Map<String, Object>>> settings;

        Type(String name, Set<String> aliases, List<SettingKey> keys, Function<TypeSettings, Probe> create,
                Function<Probe, Optional<Map<String, Object>>> settings) {
            this.name = name;
            this.aliases = aliases;
            this.keys = keys;
            this.create = create;
            this.settings = settings;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<String> aliases() {
            return aliases;
        }

        @Override
        public List<SettingKey> keys() {
            return keys;
        }

        @Override
        public Probe create(TypeSettings s) {
            try {
                return create.apply(s);
            } catch (InvalidSettingException e) {
                throw e;
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException("a regex is invalid: " + e.getDescription() + " in '"
                        + e.getPattern() + "'", e);
            }
        }

        @Override
        public Optional<Map<String, Object>> settingsOf(Probe probe) {
            return settings.apply(probe);
        }

        @Override
        public String toString() {
            return "ProbeType{" + name + "}";
        }
    }
}
