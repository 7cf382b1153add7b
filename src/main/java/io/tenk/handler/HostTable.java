package io.tenk.handler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a site for a request's Host, as nginx's {@code server_name} does:
 * <ol>
 *   <li>an exact name ({@code example.com}, {@code 127.0.0.1}, {@code [::1]});</li>
 *   <li>else the longest matching leading wildcard ({@code *.example.com} matches
 *       {@code a.example.com} and {@code a.b.example.com}, not {@code example.com});</li>
 *   <li>else the default site: the one named {@code *}, or the first site if none is.</li>
 * </ol>
 * The Host is compared without its port, case-insensitively, with a trailing dot ignored. A
 * request without a Host (HTTP/1.0) goes to the default site. Names are expected normalized
 * (lower case, no trailing dot), as {@code config.Site} keeps them. Immutable.
 */
public final class HostTable {
    private final Map<String, Integer> exact = new HashMap<>();
    private final List<Map.Entry<String, Integer>> wildcards = new ArrayList<>(); // ".suffix" → site, longest first
    private final int defaultSite;

    /** @param names each site's names, in site order */
    public HostTable(List<List<String>> names) {
        if (names.isEmpty()) throw new IllegalArgumentException("no sites");
        int any = -1;
        for (int i = 0; i < names.size(); i++) {
            for (String n : names.get(i)) {
                if (n.equals("*")) {
                    if (any >= 0) throw new IllegalArgumentException("two default sites");
                    any = i;
                } else if (n.startsWith("*.")) {
                    wildcards.add(Map.entry(n.substring(1), i));
                } else if (exact.putIfAbsent(n, i) != null) {
                    throw new IllegalArgumentException("name " + n + " belongs to two sites");
                }
            }
        }
        wildcards.sort(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getKey().length()).reversed());
        defaultSite = any >= 0 ? any : 0;
    }

    public int defaultSite() { return defaultSite; }

    /** The index of the site for {@code host} (a Host value, port allowed; null for none). */
    public int select(String host) {
        String name = hostName(host);
        if (name == null) return defaultSite;
        Integer i = exact.get(name);
        if (i != null) return i;
        for (Map.Entry<String, Integer> w : wildcards) {
            if (name.length() > w.getKey().length() && name.endsWith(w.getKey())) return w.getValue();
        }
        return defaultSite;
    }

    /**
     * The name part of a Host value: port removed, lower case, one trailing dot dropped;
     * {@code [v6]} keeps its brackets. Null for null or empty.
     */
    public static String hostName(String host) {
        if (host == null || host.isEmpty()) return null;
        String h = host;
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            h = close < 0 ? h : h.substring(0, close + 1);
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0) h = h.substring(0, colon);
        }
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
    }
}
