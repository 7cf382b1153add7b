package io.tenk;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The architecture's rules as a checker over one source file's text, so that the rules can be
 * tested on made-up sources as well as run over the tree.
 *
 * <p>Layers, lowest first; a package may use its own layer and those below it, never one above.
 * {@code observe} imports nothing of tenk and is used from {@code config} up; {@code config}
 * holds records of handler options and is read by the session and the models; {@code transport}
 * carries a session's bytes over a socket (it may name a connected socket, not a listening one
 * or a selector); {@code precompress}
 * (the {@code tenk compress} tool) and the root's {@code TenkServer} only assemble what is below.
 */
final class ArchitectureRules {
    private ArchitectureRules() {}

    static final List<String> LAYERS = List.of(
            "http", "files", "rules", "handler", "observe", "config", "conn", "transport", "tls", "model", "precompress", "", "cli");

    /** Packages that never touch sockets, threads, logs or the console. */
    static final List<String> PURE = List.of("http", "files", "rules", "handler");

    private static final Pattern TENK_REF = Pattern.compile("\\bio\\.tenk\\.(\\w+)(\\.\\w+)?");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+io\\.tenk(?:\\.(\\w+))?[.\\w]*\\s*;", Pattern.MULTILINE);
    private static final Pattern PURE_FORBIDDEN = Pattern.compile(
            "java\\.nio\\.channels|java\\.net\\.\\w*Socket|\\bThread\\b|\\bExecutor|ThreadPool|ForkJoin|"
                    + "System\\.(out|err)\\b|\\bsynchronized\\b");
    /**
     * What the session may not name: sockets, addresses, readiness. The session writes to a
     * {@code GatheringByteChannel}; file channels are allowed, since sending a file region
     * ({@code FileChannel.transferTo}, sendfile) is the session's job and not the transport's.
     */
    private static final Pattern SOCKET_TYPES = Pattern.compile(
            "\\b(\\w*Socket\\w*|\\w*SocketAddress|InetAddress|Inet[46]Address|Selector|SelectionKey|SelectableChannel|"
                    + "NetworkChannel|DatagramChannel|Pipe|AsynchronousChannelGroup|SelectorProvider|StandardSocketOptions)\\b"
                    + "|java\\.net\\.\\*|java\\.nio\\.channels\\.\\*|java\\.nio\\.channels\\.spi|\\bjdk\\.net\\b");
    /** What only a model does: listen, accept, wait for readiness, run pools of workers. */
    private static final Pattern MODEL_SPECIFIC = Pattern.compile(
            "\\b(ServerSocket\\w*|\\w*SocketChannel|Selector|SelectionKey|SelectorProvider|ExecutorService|Executors|"
                    + "ThreadPoolExecutor|ForkJoinPool|StructuredTaskScope|SO_REUSEPORT)\\b|Thread\\.ofVirtual|\\.startVirtualThread");

    /** The top-level tenk package a path below {@code io/tenk} lives in ("" for the root). */
    static String packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        if (!m.find()) throw new IllegalArgumentException("no io.tenk package declaration");
        return m.group(1) == null ? "" : m.group(1);
    }

    /** Every rule broken by one source file, each once, as "name: what"; empty when it keeps them all. */
    static List<String> violations(String name, String source) {
        String pkg = packageOf(source);
        String code = PACKAGE.matcher(codeOnly(source)).replaceFirst("");
        List<String> out = new ArrayList<>();
        int rank = LAYERS.indexOf(pkg);
        if (rank < 0) out.add(name + ": package '" + pkg + "' has no place in the layer order");
        Matcher m = TENK_REF.matcher(code);
        while (m.find()) {
            String first = m.group(1);
            String used = Character.isUpperCase(first.charAt(0)) ? "" : first;
            int usedRank = LAYERS.indexOf(used);
            if (usedRank < 0) out.add(name + ": uses package '" + used + "', which has no place in the layer order");
            else if (rank >= 0 && usedRank > rank) out.add(name + ": " + layer(pkg) + " uses the layer above it, " + m.group());
            if (used.equals("model") && !pkg.equals("model") && m.group(2) != null
                    && Character.isLowerCase(m.group(2).charAt(1)))
                out.add(name + ": outside model/, names a model family, " + m.group());
        }
        if (PURE.contains(pkg)) find(PURE_FORBIDDEN, code, name + ": " + layer(pkg) + " touches sockets, threads or the console, ", out);
        if (pkg.equals("conn")) find(SOCKET_TYPES, code, name + ": conn/ names a socket or channel type, ", out);
        if (!pkg.equals("model")) {
            List<String> found = new ArrayList<>();
            find(MODEL_SPECIFIC, code, "", found);
            for (String f : found) {
                if (!(pkg.equals("transport") && f.equals("SocketChannel"))) out.add(name + ": model-specific code outside model/, " + f);
            }
        }
        return out.stream().distinct().toList();
    }

    private static String layer(String pkg) { return pkg.isEmpty() ? "io.tenk" : pkg + "/"; }

    private static void find(Pattern p, String code, String prefix, List<String> out) {
        Matcher m = p.matcher(code);
        while (m.find()) out.add(prefix + m.group());
    }

    /** The source with comments, string and character literals blanked out. */
    static String codeOnly(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (s.startsWith("//", i)) {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                b.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                b.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') j += s.charAt(j) == '\\' ? 2 : 1;
                i = Math.min(n, j + 1);
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
