package io.tenk.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one percent-codec of URLs (RFC 3986 §2.1): strict UTF-8 decoding, and encoding for the part
 * of a URL a value lands in. Pure functions.
 */
public final class PercentCodec {
    private PercentCodec() {}

    private static final String HEX = "0123456789ABCDEF";
    private static final String SUB_DELIMS = "!$&'()*+,;=";

    /**
     * Decodes {@code %XX} escapes as UTF-8, once ({@code %252e} is {@code %2e}). Returns null if an
     * escape is malformed or truncated, or the bytes are not strict UTF-8 (overlong forms and
     * surrogates included). {@code +} stays {@code +} (it is not a space in a path).
     */
    public static String decode(String raw) {
        if (raw.indexOf('%') < 0) return raw;
        byte[] bytes = new byte[raw.length() * 4];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return null;
                int hi = hex(raw.charAt(i + 1)), lo = hex(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) return null;
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
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static boolean unreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** pchar of RFC 3986: unreserved, sub-delims, ':' and '@'. */
    private static boolean segmentChar(int c) {
        return unreserved(c) || c < 0x80 && (SUB_DELIMS.indexOf(c) >= 0 || c == ':' || c == '@');
    }

    /** Query or fragment value: like a segment plus '/' and '?', but '&', '=', '+' and ';' are escaped (they split pairs). */
    private static boolean queryValueChar(int c) {
        return unreserved(c) || c < 0x80 && "!$'()*,:@/?".indexOf(c) >= 0;
    }

    /** Encodes a decoded path: everything but pchar and '/' becomes UTF-8 %XX. */
    public static String encodePath(String s) { return encode(s, 'p'); }

    /** Encodes one decoded path segment: like {@link #encodePath}, and '/' is escaped too. */
    public static String encodeSegment(String s) { return encode(s, 's'); }

    /** Encodes a decoded value for a query or fragment. */
    public static String encodeQueryValue(String s) { return encode(s, 'q'); }

    private static String encode(String s, char part) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean keep = switch (part) {
                case 'p' -> segmentChar(cp) || cp == '/';
                case 's' -> segmentChar(cp);
                default -> queryValueChar(cp);
            };
            if (keep) {
                sb.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) appendEscape(sb, b);
            }
        }
        return sb.toString();
    }

    private static void appendEscape(StringBuilder sb, byte b) {
        sb.append('%').append(HEX.charAt(b >> 4 & 0xF)).append(HEX.charAt(b & 0xF));
    }

    /**
     * Literal URL text written by a site's author: kept as written except characters that may
     * not appear in a URI (space, non-ASCII, {@code "<>\^`{|}}, and a {@code %} not starting a
     * valid escape), which are percent-encoded.
     */
    public static String encodeUrlLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean validEscape = cp == '%' && i + 1 < s.length() && hex(s.charAt(i)) >= 0 && hex(s.charAt(i + 1)) >= 0;
            if (cp > 0x20 && cp < 0x7F && "\"<>\\^`{|}%".indexOf(cp) < 0 || validEscape) {
                sb.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) appendEscape(sb, b);
            }
        }
        return sb.toString();
    }
}
