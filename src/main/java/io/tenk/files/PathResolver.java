package io.tenk.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a request path to a file under a document root, safely. Thread-safe and stateless beyond
 * the root.
 *
 * <p>The order matters and is the whole of the defence:
 * <ol>
 *   <li>The raw path (still percent-encoded) must start with '/' and hold only visible ASCII.</li>
 *   <li>It is split on '/' <em>before</em> decoding, so an encoded {@code %2F} can never make a
 *       separator. Empty and "." segments are skipped; a raw ".." drops the previous segment, and
 *       climbing above the root is {@link Resolution.Invalid}.</li>
 *   <li>Each other segment is percent-decoded once, as strict UTF-8 (bad or truncated escapes,
 *       overlong forms and surrogates are Invalid). A decoded segment holding '/', '\', NUL or a
 *       control character is Invalid.</li>
 *   <li>A decoded segment starting with '.' (dotfiles such as {@code .git}, {@code .env}, and an
 *       encoded {@code %2e%2e}) is {@link Resolution.NotFound}.</li>
 *   <li>The segments are joined under the root, the real path is taken (following symlinks) and
 *       must lie inside the real root; a symlink leading out is NotFound.</li>
 *   <li>One stat: a regular file or a directory; anything else (fifo, device, socket) is NotFound.</li>
 * </ol>
 * Symbolic links are thus allowed when their real path stays inside the root (a link to a
 * sibling directory, a versioned file). The answer is a check by path, made before the file is
 * opened: a file is opened with {@link FileOpener}, which proves by descriptor that what it opens
 * is still a regular file beneath the root reached through no link.
 * Nothing throws to the caller: I/O failures are NotFound, a permission refusal is
 * {@link Resolution.Forbidden}.
 */
public final class PathResolver {
    private final Path root;

    /** @param root an existing directory; its real path is kept */
    public PathResolver(Path root) {
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("document root does not exist: " + root, e);
        }
        if (!Files.isDirectory(real)) throw new IllegalArgumentException("document root is not a directory: " + root);
        this.root = real;
        FileOpener.prepare(real);
    }

    /** The real path of the document root. */
    public Path root() { return root; }

    /**
     * Resolves a request path (percent-encoded, without query). A path whose last raw segment is
     * empty, "." or ".." names a directory: if it leads to a file, the answer is NotFound.
     */
    public Resolution resolve(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') return Resolution.INVALID;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return Resolution.INVALID;
        }
        List<String> segments = new ArrayList<>();
        boolean hidden = false;
        boolean wantsDirectory = false;
        CharsetDecoder decoder = null;
        int start = 1;
        while (start <= rawPath.length()) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) end = rawPath.length();
            String raw = rawPath.substring(start, end);
            start = end + 1;
            wantsDirectory = raw.isEmpty() || raw.equals(".") || raw.equals("..");
            if (raw.isEmpty() || raw.equals(".")) continue;
            if (raw.equals("..")) {
                if (segments.isEmpty()) return Resolution.INVALID;
                segments.removeLast();
                continue;
            }
            if (decoder == null) {
                decoder = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            String segment = decode(raw, decoder);
            if (segment == null || !isSafe(segment)) return Resolution.INVALID;
            if (segment.charAt(0) == '.') hidden = true; // answered once every segment is known valid
            segments.add(segment);
        }
        if (hidden) return Resolution.NOT_FOUND;
        return locate(segments, wantsDirectory);
    }

    /**
     * Resolves a file named {@code name} inside a directory already resolved (e.g. its index
     * file), with the same checks: no separators, no dotfile, real path inside the root.
     */
    public Resolution child(Resolution.Directory directory, String name) {
        if (name == null || name.isEmpty() || !isSafe(name)) return Resolution.INVALID;
        if (name.charAt(0) == '.') return Resolution.NOT_FOUND;
        return stat(directory.realPath().resolve(name), directory.canonicalPath() + encode(name) + '/', false);
    }

    /**
     * Resolves the file next to {@code file} whose name is its name plus {@code suffix} (a
     * precompressed sibling such as {@code app.js.br}), with the same checks. The sibling is
     * looked for beside the real file, so a symlinked file finds its target's siblings.
     */
    public Resolution sibling(Resolution.File file, String suffix) {
        if (suffix == null || suffix.isEmpty() || !isSafe(suffix)) return Resolution.INVALID;
        Path p = file.realPath().resolveSibling(file.realPath().getFileName() + suffix);
        return stat(p, "/", false);
    }

    private Resolution locate(List<String> segments, boolean wantsDirectory) {
        Path p = root;
        StringBuilder canonical = new StringBuilder(64).append('/');
        try {
            for (String s : segments) {
                p = p.resolve(s);
                canonical.append(encode(s)).append('/');
            }
        } catch (InvalidPathException e) {
            return Resolution.INVALID;
        }
        return stat(p, canonical.toString(), wantsDirectory);
    }

    private Resolution stat(Path p, String canonicalDirectoryPath, boolean wantsDirectory) {
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) return Resolution.NOT_FOUND;
            // the real path holds no link; one there now was swapped in since: not followed
            BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) return new Resolution.Directory(real, canonicalDirectoryPath);
            if (!a.isRegularFile() || wantsDirectory) return Resolution.NOT_FOUND;
            if (!Files.isReadable(real)) return Resolution.FORBIDDEN;
            return new Resolution.File(real, a.size(), a.lastModifiedTime().toMillis(), root);
        } catch (AccessDeniedException e) {
            return Resolution.FORBIDDEN;
        } catch (IOException | InvalidPathException | SecurityException e) {
            return Resolution.NOT_FOUND;
        }
    }

    /** Percent-decodes one segment as strict UTF-8; null when malformed. */
    static String decode(String raw, CharsetDecoder decoder) {
        if (raw.indexOf('%') < 0) return raw;
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) return null;
                int hi = Character.digit(raw.charAt(i + 1), 16), lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** False for a segment holding a separator, NUL or any control character (C0, DEL, C1). */
    private static boolean isSafe(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) return false;
        }
        return true;
    }

    private static final boolean[] KEEP = new boolean[128];

    static {
        String keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@";
        for (int i = 0; i < keep.length(); i++) KEEP[keep.charAt(i)] = true;
    }

    /** Percent-encodes a decoded segment for a URL path: unreserved and sub-delims kept, the rest as UTF-8 escapes. */
    static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v < 128 && KEEP[v]) {
                sb.append((char) v);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 15, 16)));
            }
        }
        return sb.toString();
    }
}
