package io.tenk.tls;

import io.tenk.handler.HostTable;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The certificates the server offers at one moment, by site, immutable: a change makes a new set
 * ({@link #with}). SNI picks as requests pick their site ({@link HostTable}): the site the name
 * selects, if it has a certificate; otherwise, and for a client that sends no name, the default
 * certificate (the default site's, else the first site's that has one).
 *
 * <p>A handshake chooses an alias first and asks for its chain and key afterwards: each
 * certificate has an alias of its own, and the set keeps the certificates it replaced, one change
 * back, so a handshake that chose just before a change still gets the pair it chose.
 */
final class CertificateSet {
    private static final AtomicLong IDS = new AtomicLong();

    /** One certificate chain (leaf first) and its key, under an alias no other entry has. */
    record Entry(String alias, X509Certificate[] chain, PrivateKey key) {
        Entry(List<X509Certificate> chain, PrivateKey key) {
            this("c" + IDS.incrementAndGet(), chain.toArray(X509Certificate[]::new), key);
        }

        X509Certificate leaf() { return chain[0]; }
    }

    private final HostTable hosts;
    private final List<Entry> bySite; // null for a site without a certificate
    private final List<Entry> replaced; // those the last change replaced
    private final int fallback;

    /** @param bySite in {@code hosts}' order; at least one not null */
    CertificateSet(HostTable hosts, List<Entry> bySite) {
        this(hosts, bySite, List.of());
    }

    private CertificateSet(HostTable hosts, List<Entry> bySite, List<Entry> replaced) {
        this.hosts = hosts;
        this.bySite = java.util.Collections.unmodifiableList(new ArrayList<>(bySite));
        this.replaced = replaced;
        int d = hosts.defaultSite();
        this.fallback = bySite.get(d) != null ? d
                : IntStream.range(0, bySite.size()).filter(i -> bySite.get(i) != null).findFirst().orElseThrow();
    }

    /** This set with site {@code site}'s certificate replaced by {@code e}. */
    CertificateSet with(int site, Entry e) {
        List<Entry> next = new ArrayList<>(bySite);
        Entry old = next.set(site, e);
        return new CertificateSet(hosts, next, old == null ? List.of() : List.of(old));
    }

    /** Site {@code site}'s certificate, or null. */
    Entry site(int site) { return bySite.get(site); }

    /** The alias for a client that asked for {@code name} (null: none), if its key is of {@code keyType}; else null. */
    String choose(String name, String keyType) {
        int site = fallback;
        if (name != null) {
            int picked = hosts.select(name);
            if (bySite.get(picked) != null) site = picked;
        }
        Entry e = bySite.get(site);
        return e.key().getAlgorithm().equals(keyType) ? e.alias() : null;
    }

    /** The aliases of the certificates whose keys are of {@code keyType}. */
    String[] aliases(String keyType) {
        return bySite.stream().filter(e -> e != null && e.key().getAlgorithm().equals(keyType)).map(Entry::alias).toArray(String[]::new);
    }

    /** The entry of {@code alias}, in this set or among those its last change replaced; null if none. */
    Entry byAlias(String alias) {
        if (alias == null) return null;
        for (Entry e : bySite) if (e != null && e.alias().equals(alias)) return e;
        for (Entry e : replaced) if (e.alias().equals(alias)) return e;
        return null;
    }
}
