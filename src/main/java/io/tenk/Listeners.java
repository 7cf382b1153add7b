package io.tenk;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.conn.ServerContext;
import io.tenk.conn.TransportLayer;
import io.tenk.handler.AcmeChallenges;
import io.tenk.handler.Handler;
import io.tenk.handler.HostTable;
import io.tenk.handler.HttpsSites;
import io.tenk.tls.AcmeRenewals;
import io.tenk.tls.ServerTls;
import io.tenk.transport.TlsPolicy;

import java.util.List;

/**
 * What differs between a server's listeners: an HTTPS one puts TLS around each connection (one
 * {@link ServerTls} for all, choosing certificates by SNI) and adds HSTS for the sites that want
 * it; a plain one, when the server also has HTTPS, redirects the sites that have a certificate to
 * it ({@link HttpsSites}), after answering the ACME challenges pending ({@link AcmeChallenges}).
 */
final class Listeners {
    private final ServerContext base;
    private final HostTable hosts;
    private final boolean[] tlsSites, hstsSites;
    private final boolean anyHsts;
    private final ServerTls tls; // null without an HTTPS listener
    private final AcmeChallenges challenges; // null without an ACME site
    private int httpsPort = -1;

    Listeners(ServerConfig config, ServerContext base) {
        this.base = base;
        List<Site> sites = config.sites();
        this.hosts = new HostTable(sites.stream().map(Site::names).toList());
        this.tlsSites = new boolean[sites.size()];
        this.hstsSites = new boolean[sites.size()];
        boolean hsts = false;
        for (int i = 0; i < sites.size(); i++) {
            TlsConfig t = sites.get(i).tls();
            tlsSites[i] = t != null;
            hstsSites[i] = t != null && t.hsts();
            hsts |= hstsSites[i];
        }
        this.anyHsts = hsts;
        this.tls = config.listen().stream().anyMatch(Listen::tls) ? ServerTls.start(sites, base.errorLog()) : null;
        this.challenges = tls != null && AcmeRenewals.any(sites) ? new AcmeChallenges() : null;
    }

    /** The certificates of the HTTPS listeners; null when there are none. */
    ServerTls tls() { return tls; }

    /** The ACME challenges the plain listeners answer; null when no site has its certificate by ACME. */
    AcmeChallenges challenges() { return challenges; }

    /** The first HTTPS listener is bound to {@code port}: plain listeners redirect there. */
    void httpsStarted(int port) {
        if (httpsPort < 0) httpsPort = port;
    }

    /** The context of the connections of listener {@code l}. */
    ServerContext context(Listen l) {
        Handler h = base.handler();
        if (l.tls()) {
            if (anyHsts) h = HttpsSites.overTls(h, hosts, hstsSites, TlsConfig.HSTS_MAX_AGE);
            return base.forListener(h, TlsPolicy.layer(tls.context()));
        }
        if (httpsPort >= 0) h = HttpsSites.redirecting(h, hosts, tlsSites, httpsPort);
        if (challenges != null) h = challenges.wrap(h);
        return base.forListener(h, TransportLayer.NONE);
    }
}
