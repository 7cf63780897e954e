package io.tspm.internal;

import java.util.Objects;

/**
 * A program looked up on a PATH from a directory, as a cache of lookups keys it: the strings keep
 * their hashes, so a lookup allocates only this. Not a record: a record's equals and hashCode are
 * linked by invokedynamic on their first call, milliseconds of a cold JVM's first spawn.
 */
final class ProgramKey {
    private final String program;
    private final String path;
    /** The directory relative PATH entries are taken against (a Path or a File), or null. */
    private final Object directory;

    ProgramKey(String program, String path, Object directory) {
        this.program = program;
        this.path = path;
        this.directory = directory;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProgramKey k && program.equals(k.program) && Objects.equals(path, k.path)
                && Objects.equals(directory, k.directory);
    }

    @Override
    public int hashCode() {
        return (program.hashCode() * 31 + Objects.hashCode(path)) * 31 + Objects.hashCode(directory);
    }
}
