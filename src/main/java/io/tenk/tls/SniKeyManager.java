package io.tenk.tls;

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
import java.util.function.UnaryOperator;

/**
 * Chooses each handshake's certificate by the name the client asked for (SNI) from the current
 * {@link CertificateSet}: one volatile reference, replaced whole when a certificate changes (a
 * reload, a renewal), so a handshake sees one set and new handshakes see the new one at once.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private volatile CertificateSet set;

    SniKeyManager(CertificateSet set) {
        this.set = set;
    }

    CertificateSet current() { return set; }

    /** Replaces the set by {@code change} applied to it (writers one at a time: no change is lost). */
    synchronized void update(UnaryOperator<CertificateSet> change) {
        set = change.apply(set);
    }

    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return set.choose(requestedName(engine == null ? null : engine.getHandshakeSession()), keyType);
    }

    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return set.choose(requestedName(socket instanceof SSLSocket s ? s.getHandshakeSession() : null), keyType);
    }

    /** The host name the client sent by SNI, or null. */
    private static String requestedName(SSLSession handshake) {
        if (!(handshake instanceof ExtendedSSLSession ext)) return null;
        for (SNIServerName n : ext.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) return h.getAsciiName();
        }
        return null;
    }

    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return set.aliases(keyType); }

    @Override public X509Certificate[] getCertificateChain(String alias) {
        CertificateSet.Entry e = set.byAlias(alias);
        return e == null ? null : e.chain().clone();
    }

    @Override public PrivateKey getPrivateKey(String alias) {
        CertificateSet.Entry e = set.byAlias(alias);
        return e == null ? null : e.key();
    }

    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return null; }

    @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) { return null; }
}
