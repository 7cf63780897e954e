/**
 * Configuration files onto the core builders and back: {@link io.tspm.config.TspmConfig} loads
 * tspm.yaml, JSON, JSONC and PM2 ecosystem files, {@link io.tspm.config.ConfigWriter} writes specs
 * back, {@link io.tspm.config.ConfigSchema} is the JSON Schema of the format.
 */
package io.tspm.config;
