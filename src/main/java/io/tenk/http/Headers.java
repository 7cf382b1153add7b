package io.tenk.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An ordered list of header fields, names compared case-insensitively (RFC 9110 §5.1).
 * Used for request fields (as parsed) and response fields (as the handler sets them). Not
 * thread-safe; a Headers instance belongs to one request or one response.
 *
 * <p>{@link #copy()} is copy-on-write: the copy and the original share one array until either is
 * changed, and the one changed first takes an array of its own. So fields kept for many
 * exchanges (a connection's repeated request fields, a file's response fields) are handed to each
 * as a copy that costs no array, and a handler may still change the copy it was given. Fields
 * that others copy must not be changed from two threads at once (nothing here changes a shared
 * array, so they are only read).
 */
public final class Headers {
    private String[] fields; // name, value, name, value, ...
    private int size;
    private boolean shared;  // fields is another Headers' array too: copied before the first change
    private byte[] encoded;  // the fields as a response head writes them, while unchanged (ResponseHead.keepEncoded)

    public Headers() { this(8); }

    public Headers(int capacity) {
        fields = new String[2 * Math.max(capacity, 1)];
    }

    private Headers(String[] fields, int size) {
        this.fields = fields;
        this.size = size;
        this.shared = true;
    }

    /**
     * These fields, sharing this array until either this or the copy changes (the one changed
     * takes a copy of the array first). Costs one small object and no array.
     */
    public Headers copy() {
        if (!shared) shared = true; // written once: fields kept for many are only read after
        Headers c = new Headers(fields, size);
        c.encoded = encoded;
        return c;
    }

    /**
     * Before a change: the encoded fields no longer hold, and a shared array is copied first (with
     * room for {@code room} more fields).
     */
    private void own(int room) {
        encoded = null;
        if (!shared) return;
        fields = Arrays.copyOf(fields, 2 * (size + room));
        shared = false;
    }

    /** The fields as {@link ResponseHead} writes them, or null when not kept or changed since. */
    byte[] encoded() { return encoded; }

    void keepEncoded(byte[] bytes) { encoded = bytes; }

    /** Appends a field; an existing field of the same name is kept. */
    public Headers add(String name, String value) {
        own(2);
        if (2 * size == fields.length) fields = Arrays.copyOf(fields, Math.max(4 * size, 2));
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        size++;
        return this;
    }

    /** Replaces every field of this name with one field (or appends it). */
    public Headers set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Removes every field of this name; returns how many were removed. */
    public int remove(String name) {
        if (shared) {
            if (!contains(name)) return 0;
            own(0);
        }
        int w = 0, removed = 0;
        for (int r = 0; r < size; r++) {
            if (fields[2 * r].equalsIgnoreCase(name)) { removed++; continue; }
            fields[2 * w] = fields[2 * r];
            fields[2 * w + 1] = fields[2 * r + 1];
            w++;
        }
        Arrays.fill(fields, 2 * w, 2 * size, null);
        size = w;
        return removed;
    }

    /** The first value of the field, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) return fields[2 * i + 1];
        return null;
    }

    public boolean contains(String name) { return get(name) != null; }

    /** How many fields carry this name. */
    public int count(String name) {
        int n = 0;
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) n++;
        return n;
    }

    /** Every value of this name, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < size; i++) if (fields[2 * i].equalsIgnoreCase(name)) out.add(fields[2 * i + 1]);
        return out;
    }

    public int size() { return size; }

    /** A copy in an array of exactly its fields (a parser fills one list, then keeps a copy per request). */
    Headers exactCopy() {
        Headers h = new Headers(size);
        System.arraycopy(fields, 0, h.fields, 0, 2 * size);
        h.size = size;
        return h;
    }

    /** Whether {@code other} holds the same fields in the same order, names and values exactly (false for null). */
    boolean sameFields(Headers other) {
        if (other == null || other.size != size) return false;
        String[] a = fields, b = other.fields;
        for (int i = 0, n = 2 * size; i < n; i++) {
            if (a[i] != b[i] && !a[i].equals(b[i])) return false;
        }
        return true;
    }

    /** Removes every field, letting go of their strings. */
    void clear() {
        encoded = null;
        if (shared) { fields = new String[Math.max(fields.length, 2)]; shared = false; size = 0; return; }
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
    }

    public String name(int i) { return fields[2 * checked(i)]; }

    public String value(int i) { return fields[2 * checked(i) + 1]; }

    private int checked(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return i;
    }

    /**
     * True when a comma-separated list field of this name contains the token, compared
     * case-insensitively (e.g. {@code Connection: keep-alive, Upgrade} contains {@code upgrade}).
     */
    public boolean hasToken(String name, String token) {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i].equalsIgnoreCase(name) && listContains(fields[2 * i + 1], token)) return true;
        }
        return false;
    }

    /** True when the comma-separated list contains the token (case-insensitive, OWS ignored). */
    public static boolean listContains(String list, String token) {
        int n = list.length(), i = 0;
        while (i < n) {
            int end = list.indexOf(',', i);
            if (end < 0) end = n;
            int s = i, e = end;
            while (s < e && isOws(list.charAt(s))) s++;
            while (e > s && isOws(list.charAt(e - 1))) e--;
            if (e - s == token.length() && list.regionMatches(true, s, token, 0, e - s)) return true;
            i = end + 1;
        }
        return false;
    }

    private static boolean isOws(char c) { return c == ' ' || c == '\t'; }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) sb.append(fields[2 * i]).append(": ").append(fields[2 * i + 1]).append('\n');
        return sb.toString();
    }
}
