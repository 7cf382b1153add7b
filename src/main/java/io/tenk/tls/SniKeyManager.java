package io.tenk.tls;

import io.tenk.handler.HostTable;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses the certificate by the name the client asked for (SNI), the same way requests choose
 * their site ({@link HostTable}): the site the name selects, if it has a certificate; otherwise,
 * and for a client that sends no name, the default certificate (the default site's, else the
 * first site's that has one).
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    /** One site's certificate chain and key; null for a site without TLS. */
    record Entry(X509Certificate[] chain, PrivateKey key) {}

    private final HostTable hosts;
    private final List<Entry> entries; // by site index
    private final int fallback;

    /** @param entries by site, in {@code hosts}' order; at least one not null */
    SniKeyManager(HostTable hosts, List<Entry> entries) {
        this.hosts = hosts;
        this.entries = entries;
        int d = hosts.defaultSite();
        this.fallback = entries.get(d) != null ? d
                : IntStream.range(0, entries.size()).filter(i -> entries.get(i) != null).findFirst().orElseThrow();
    }

    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, engine == null ? null : engine.getHandshakeSession());
    }

    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType, socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
    }

    private String choose(String keyType, SSLSession handshake) {
        int site = fallback;
        String name = requestedName(handshake);
        if (name != null) {
            int picked = hosts.select(name);
            if (entries.get(picked) != null) site = picked;
        }
        Entry e = entries.get(site);
        return e.key().getAlgorithm().equals(keyType) ? alias(site) : null;
    }

    /** The host name the client sent by SNI, or null. */
    private static String requestedName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession ext)) return null;
        for (SNIServerName n : ext.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) return h.getAsciiName();
        }
        return null;
    }

    @Override public String[] getServerAliases(String keyType, Principal[] issuers) {
        return IntStream.range(0, entries.size())
                .filter(i -> entries.get(i) != null && entries.get(i).key().getAlgorithm().equals(keyType))
                .mapToObj(SniKeyManager::alias).toArray(String[]::new);
    }

    @Override public X509Certificate[] getCertificateChain(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.chain().clone();
    }

    @Override public PrivateKey getPrivateKey(String alias) {
        Entry e = entry(alias);
        return e == null ? null : e.key();
    }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return null; }

    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return null; }

    private static String alias(int site) { return "site" + site; }

    private Entry entry(String alias) {
        if (alias == null || !alias.startsWith("site")) return null;
        try {
            int i = Integer.parseInt(alias.substring(4));
            return i >= 0 && i < entries.size() ? entries.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
