package io.tenk.files;

import io.tenk.http.PercentCodec;
import io.tenk.http.RequestPath;

import java.io.IOException;
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
 * <p>The path it is given is the request's path as {@link RequestPath} made it: decoded once,
 * dot segments removed, empty segments collapsed, nothing above the root, no encoded '/', no '\'
 * and no control character; a path not in that form is {@link Resolution.Invalid}. Then, in
 * this order, which is the whole of the defence:
 * <ol>
 *   <li>A segment starting with '.' (dotfiles such as {@code .git}, {@code .env}) is
 *       {@link Resolution.NotFound}.</li>
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
     * Resolves a request path (decoded and normalised, see {@link RequestPath}). A path ending in
     * '/' names a directory: if it leads to a file, the answer is NotFound.
     */
    public Resolution resolve(String path) {
        if (!RequestPath.isNormal(path)) return Resolution.INVALID;
        List<String> segments = new ArrayList<>();
        boolean hidden = false;
        int start = 1;
        while (start < path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) end = path.length();
            String segment = path.substring(start, end);
            start = end + 1;
            if (segment.charAt(0) == '.') hidden = true;
            segments.add(segment);
        }
        if (hidden) return Resolution.NOT_FOUND;
        return locate(segments, path.endsWith("/"));
    }

    /**
     * Resolves a file named {@code name} inside a directory already resolved (e.g. its index
     * file), with the same checks: no separators, no dotfile, real path inside the root.
     */
    public Resolution child(Resolution.Directory directory, String name) {
        if (name == null || name.isEmpty() || !isSafe(name)) return Resolution.INVALID;
        if (name.charAt(0) == '.') return Resolution.NOT_FOUND;
        return stat(directory.realPath().resolve(name), directory.canonicalPath() + PercentCodec.encodeSegment(name) + '/', false);
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
                canonical.append(PercentCodec.encodeSegment(s)).append('/');
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

    /** False for a segment holding a separator, NUL or any control character (C0, DEL, C1). */
    private static boolean isSafe(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c)) return false;
        }
        return true;
    }
}
