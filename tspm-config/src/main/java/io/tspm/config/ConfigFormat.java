package io.tspm.config;

import java.nio.file.Path;
import java.util.Locale;

/** The syntaxes a configuration is written in. */
public enum ConfigFormat {
    /** YAML 1.2 ({@code .yaml}, {@code .yml}). */
    YAML,
    /** Strict JSON ({@code .json}). */
    JSON,
    /** JSON with {@code //} and {@code /* *}{@code /} comments and trailing commas ({@code .jsonc}). */
    JSONC,
    /**
     * A PM2 {@code ecosystem.config.js} whose {@code module.exports} is a plain literal (unquoted
     * keys, single quotes, trailing commas, comments); one that computes anything is refused.
     */
    JS_LITERAL;

    /** The format a file's extension names; a {@code .json} may hold comments, as PM2 allows. */
    public static ConfigFormat of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return YAML;
        } else if (name.endsWith(".jsonc")) {
            return JSONC;
        } else if (name.endsWith(".json")) {
            return JSON;
        } else if (name.endsWith(".js") || name.endsWith(".cjs")) {
            return JS_LITERAL;
        }
        throw new IllegalArgumentException("config file must end in .yaml, .yml, .json, .jsonc or .js, but was '"
                + file + "'");
    }
}
