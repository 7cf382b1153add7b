package io.tenk.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of recently parsed bytes, handed out again when the same bytes come back. Clients
 * send the same targets and field values over and over (a browser's User-Agent, Accept and
 * Accept-Encoding on every request; the same few paths), so a parser that asks here makes a string
 * only for what it has not seen lately.
 *
 * <p>A small table of pairs of slots, indexed by a hash of the bytes: a value is looked for in
 * its pair, found in the first slot when it was used last, and a new value takes the first slot
 * and moves the other down, dropping the pair's older value (no chain, no resizing: one hash and
 * at most two comparisons). Values longer than {@value #MAX_LENGTH} bytes are never kept. Sharing
 * is safe because strings are immutable; a value from one connection may be handed to another
 * that sent the same bytes.
 *
 * <p>Not thread-safe: one belongs to one I/O thread, lent to each connection it serves.
 * {@link #NONE} keeps nothing and may be shared.
 */
public final class RecentStrings {
    /** Longer values are made each time: they rarely repeat, and a slot should stay small. */
    static final int MAX_LENGTH = 256;

    /** Keeps nothing: every call makes a new string. */
    public static final RecentStrings NONE = new RecentStrings(0);

    private final byte[][] bytes;
    private final String[] strings;
    private final int pairs; // mask of a pair's index
    private final int shift; // 64 less the bits of a pair's index: the hash's top bits choose the pair

    /** @param slots how many values it keeps at most: 0, or a power of two from 2 */
    public RecentStrings(int slots) {
        if (slots < 0 || slots == 1 || (slots & (slots - 1)) != 0) {
            throw new IllegalArgumentException("slots must be 0 or a power of two from 2: " + slots);
        }
        bytes = new byte[slots][];
        strings = new String[slots];
        pairs = slots / 2 - 1;
        shift = slots < 4 ? 63 : 64 - Integer.numberOfTrailingZeros(slots / 2);
    }

    /** The bytes {@code b[off, off+len)} read as ISO-8859-1: a kept string when they were seen lately. */
    public String latin1(byte[] b, int off, int len) {
        if (pairs < 0 || len > MAX_LENGTH) return new String(b, off, len, StandardCharsets.ISO_8859_1);
        int first = ((int) (hash(b, off, len) >>> shift) & pairs) << 1, second = first + 1;
        if (same(bytes[first], b, off, len)) return strings[first];
        byte[] kept = bytes[second];
        String s;
        if (same(kept, b, off, len)) {
            s = strings[second];
        } else {
            kept = Arrays.copyOfRange(b, off, off + len);
            s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        // the value just used goes first; the other one of the pair second
        bytes[second] = bytes[first];
        strings[second] = strings[first];
        bytes[first] = kept;
        strings[first] = s;
        return s;
    }

    private static boolean same(byte[] kept, byte[] b, int off, int len) {
        return kept != null && Arrays.equals(kept, 0, kept.length, b, off, off + len);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * A hash of every byte, eight at a time (Fibonacci hashing). Its top bits depend on every
     * byte, its low bits only on the low bits of each word: the pair is chosen by the top bits.
     */
    private static long hash(byte[] b, int off, int len) {
        long h = len;
        int i = off, end = off + len;
        for (; i + Long.BYTES <= end; i += Long.BYTES) h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
        for (; i < end; i++) h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
        return h;
    }
}
