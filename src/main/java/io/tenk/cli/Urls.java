package io.tenk.cli;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The URLs a person can open for the addresses a server listens on, as {@code serve} and
 * {@code vite} print them: a specific address as itself ({@code http://[::1]:P/}); a wildcard
 * ({@code 0.0.0.0}, {@code ::}) as its loopback URLs ("Local") first, then one per address of
 * the machine's interfaces that are up ("Network"). IPv6 link-local addresses are left out (a
 * browser cannot open them without a zone).
 */
record Urls(List<String> local, List<String> network) {

    /** Whether one of {@code bound} is a wildcard (the banner then lists Local and Network). */
    static boolean anyWildcard(List<InetSocketAddress> bound) {
        return bound.stream().anyMatch(a -> a.getAddress().isAnyLocalAddress());
    }

    /** The URLs of every bound address, in order, without repeats; interfaces are read from the machine. */
    static Urls of(List<InetSocketAddress> bound) {
        return of(bound, anyWildcard(bound) ? interfaceAddresses() : List.of());
    }

    /** The URLs of every bound address, given the machine's interface addresses (tests). */
    static Urls of(List<InetSocketAddress> bound, List<InetAddress> interfaces) {
        Set<String> local = new LinkedHashSet<>(), network = new LinkedHashSet<>();
        for (InetSocketAddress a : bound) {
            InetAddress ip = a.getAddress();
            int port = a.getPort();
            if (!ip.isAnyLocalAddress()) {
                (ip.isLoopbackAddress() ? local : network).add(url(ip, port));
                continue;
            }
            boolean v6 = ip instanceof Inet6Address; // "::" also accepts IPv4 (a dual-stack socket)
            local.add(url(InetAddress.getLoopbackAddress(), port));
            if (v6) local.add("http://[::1]:" + port + "/");
            for (boolean four : new boolean[] {true, false}) { // IPv4 first: shorter, and what most people type
                for (InetAddress i : interfaces) {
                    if (i.isLoopbackAddress() || i.isLinkLocalAddress() || i.isAnyLocalAddress()) continue;
                    if ((i instanceof Inet4Address) == four && (four || v6)) network.add(url(i, port));
                }
            }
        }
        return new Urls(List.copyOf(local), List.copyOf(network));
    }

    /** Every URL, local first. */
    List<String> all() {
        List<String> all = new ArrayList<>(local);
        all.addAll(network);
        return all;
    }

    /** The same URLs with {@code https://} for the given ports. */
    Urls withHttps(Set<Integer> ports) {
        if (ports.isEmpty()) return this;
        java.util.function.UnaryOperator<String> scheme = u -> {
            int colon = u.lastIndexOf(':');
            int port = Integer.parseInt(u.substring(colon + 1, u.length() - 1));
            return ports.contains(port) ? "https" + u.substring("http".length()) : u;
        };
        return new Urls(local().stream().map(scheme).toList(), network().stream().map(scheme).toList());
    }

    /** {@code http://HOST:PORT/}, an IPv6 address in brackets and without its zone. */
    static String url(InetAddress ip, int port) {
        String host = ip.getHostAddress();
        if (ip instanceof Inet6Address) {
            int pct = host.indexOf('%');
            if (pct >= 0) host = host.substring(0, pct);
            host = "[" + compress(host) + "]";
        }
        return "http://" + host + ":" + port + "/";
    }

    /** The shortest form of an IPv6 address (RFC 5952): {@code 0:0:0:0:0:0:0:1} → {@code ::1}. */
    static String compress(String full) {
        String[] groups = full.split(":");
        if (groups.length != 8) return full;
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (!groups[i].replaceFirst("^0+(?=.)", "").equals("0")) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j].replaceFirst("^0+(?=.)", "").equals("0")) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!b.isEmpty() && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(groups[i].replaceFirst("^0+(?=.)", "").toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    /** The addresses of the interfaces that are up; none when they cannot be listed. */
    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface n : NetworkInterface.networkInterfaces().toList()) {
                if (n.isUp()) all.addAll(n.inetAddresses().toList());
            }
        } catch (SocketException e) {
            // no list: only the loopback URLs are printed
        }
        return all;
    }
}
