package io.tenk.support;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/** Byte-for-byte comparison of large bodies, saying where they first differ. */
public final class Bytes {
    private Bytes() {}

    /**
     * Fails unless {@code actual} holds exactly {@code expected}. Compares the bytes themselves
     * (a vectorised mismatch), which costs far less than hashing both, and names the first
     * differing offset instead of dumping megabytes.
     */
    public static void assertSameBytes(byte[] expected, byte[] actual) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail("the bodies differ from byte " + at + " (expected " + expected.length + " bytes, got " + actual.length + ")");
        }
    }
}
