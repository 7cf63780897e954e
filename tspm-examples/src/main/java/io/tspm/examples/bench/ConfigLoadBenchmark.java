package io.tspm.examples.bench;

import io.tspm.config.TspmConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How long loading a tspm.yaml of 1,000 processes takes (each with a command, instances, a port,
 * env, a readiness probe, a restart policy and a hook), from reading the file to the checked specs:
 * the first load in a fresh JVM (what a user waits for) and the median of later ones. Prints JSON.
 */
public final class ConfigLoadBenchmark {

    private ConfigLoadBenchmark() {
    }

    /** Runs the benchmark; {@code args[0]} is the number of processes (default 1000). */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        StringBuilder yaml = new StringBuilder("supervisor: {name: big}\nprocesses:\n");
        for (int i = 0; i < n; i++) {
            yaml.append("  - name: svc-").append(i).append('\n')
                    .append("    command: [java, -jar, app.jar, --port, '{port}']\n")
                    .append("    instances: 2\n")
                    .append("    basePort: ").append(20000 + 4 * i).append('\n')
                    .append("    env: {MODE: prod, ID: '").append(i).append("'}\n")
                    .append("    readinessProbe: {type: http, path: /health, period: 2s}\n")
                    .append("    restart: always\n")
                    .append("    maxRestarts: 10\n")
                    .append("    preStop: ./drain.sh\n");
        }
        Path file = Files.createTempFile("tspm-bench", ".yaml");
        try {
            Files.writeString(file, yaml);
            long t0 = System.nanoTime();
            int loaded = TspmConfig.load(file).processes().size();
            double firstMillis = (System.nanoTime() - t0) / 1e6;
            List<Double> warm = new ArrayList<>();
            for (int r = 0; r < 20; r++) {
                long t = System.nanoTime();
                TspmConfig.load(file);
                warm.add((System.nanoTime() - t) / 1e6);
            }
            warm.sort(null);
            System.out.printf("{\"benchmark\":\"config-load\",\"processes\":%d,\"bytes\":%d,\"firstLoadMillis\":%.1f,"
                    + "\"warmMedianMillis\":%.1f,\"warmMinMillis\":%.1f}%n", loaded, Files.size(file), firstMillis,
                    warm.get(warm.size() / 2), warm.get(0));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
