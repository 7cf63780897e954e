package io.tspm.examples.runner.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token of a runner's control API: 32 random bytes, hex, in a file of mode 0600 that
 * only the runner's user reads. Compared in constant time, so a wrong guess tells nothing of how
 * close it was.
 */
public final class ApiToken {

    private final byte[] value;

    private ApiToken(String value) {
        this.value = value.getBytes(StandardCharsets.US_ASCII);
    }

    /** A new random token written to {@code file} (0600). */
    public static ApiToken create(Path file) throws IOException {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String hex = HexFormat.of().formatHex(raw);
        PrivateFiles.write(file, (hex + "\n").getBytes(StandardCharsets.US_ASCII));
        return new ApiToken(hex);
    }

    /** The token in {@code file}. */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** Whether an {@code Authorization} header carries this token; constant time in the token's length. */
    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorizationHeader.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(value, given);
    }
}
