package io.tenk.rules;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of request paths and safe re-encoding of what rules produce.
 * Pure functions; package-private.
 */
final class PathCodec {
    private PathCodec() {}

    private static final String HEX = "0123456789ABCDEF";

    /**
     * Decodes {@code %XX} escapes as UTF-8. Returns null if an escape is malformed or the bytes
     * are not valid UTF-8. {@code +} stays {@code +} (it is not a space in a path).
     */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        byte[] bytes = new byte[raw.length() * 4];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return null;
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || raw.charAt(i + 1) > 0x7F || raw.charAt(i + 2) > 0x7F) return null;
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                int cp = raw.codePointAt(i);
                byte[] enc = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(enc, 0, bytes, n, enc.length);
                n += enc.length;
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            CharBuffer out = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            return out.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean unreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** pchar of RFC 3986 plus '/': unreserved, sub-delims, ':' and '@'. */
    private static boolean pathChar(int c) {
        return unreserved(c) || "!$&'()*+,;=:@/".indexOf(c) >= 0;
    }

    /** Query or fragment value: like a path, but '&', '=', '+' and ';' are escaped (they split pairs). */
    private static boolean queryValueChar(int c) {
        return unreserved(c) || "!$'()*,:@/?".indexOf(c) >= 0;
    }

    /** Encodes a decoded path: everything but path characters becomes UTF-8 %XX. */
    static String encodePath(String s) { return encode(s, true); }

    /** Encodes a decoded value for a query or fragment. */
    static String encodeQueryValue(String s) { return encode(s, false); }

    private static String encode(String s, boolean path) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (path ? pathChar(cp) : queryValueChar(cp)) {
                sb.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) appendEscape(sb, b);
            }
        }
        return sb.toString();
    }

    static void appendEscape(StringBuilder sb, byte b) {
        sb.append('%').append(HEX.charAt(b >> 4 & 0xF)).append(HEX.charAt(b & 0xF));
    }

    /**
     * Literal URL text written by the site's author: kept as written except characters that may
     * not appear in a URI (space, non-ASCII, {@code "<>\^`{|}}, and a {@code %} not starting a
     * valid escape), which are percent-encoded. Control characters are refused at config time.
     */
    static String encodeUrlLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean validEscape = cp == '%' && i + 1 < s.length()
                    && Character.digit(s.charAt(i), 16) >= 0 && Character.digit(s.charAt(i + 1), 16) >= 0
                    && s.charAt(i) < 0x80 && s.charAt(i + 1) < 0x80;
            if (cp > 0x20 && cp < 0x7F && "\"<>\\^`{|}%".indexOf(cp) < 0 || validEscape) {
                sb.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) appendEscape(sb, b);
            }
        }
        return sb.toString();
    }

    /**
     * Removes dot segments (RFC 3986 §5.2.4) and collapses a leading run of slashes to one, so
     * the result is a path on this site: it starts with exactly one '/'.
     */
    static String normalize(String path) {
        String in = path.startsWith("/") ? path : "/" + path;
        StringBuilder out = new StringBuilder(in.length());
        int i = 0;
        while (i < in.length()) {
            // in starts with '/' at i here
            int next = in.indexOf('/', i + 1);
            String seg = in.substring(i + 1, next < 0 ? in.length() : next);
            boolean last = next < 0;
            if (seg.equals(".")) {
                if (last) out.append('/');
            } else if (seg.equals("..")) {
                int cut = out.lastIndexOf("/");
                out.setLength(Math.max(cut, 0));
                if (last) out.append('/');
            } else {
                out.append('/').append(seg);
            }
            if (last) break;
            i = next;
        }
        int k = 0;
        while (k < out.length() && out.charAt(k) == '/') k++;
        return k == 0 ? "/" + out : "/" + out.substring(k);
    }

    /** True if {@code s} holds a control character (C0, DEL or C1). */
    static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c >= 0x7F && c <= 0x9F);
    }
}
