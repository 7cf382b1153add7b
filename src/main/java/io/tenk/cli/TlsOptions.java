package io.tenk.cli;

import io.tenk.config.Listen;
import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.config.TlsConfig;
import io.tenk.tls.LocalCa;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The HTTPS flags of {@code tenk}: a certificate from files ({@code --tls-cert}, {@code --tls-key}),
 * or one from the local development CA ({@code --https}). Either makes every listen address
 * HTTPS and gives the certificate to every site that has none of its own.
 */
final class TlsOptions {
    Path cert;

    Path key;

    boolean https;

    /** Adds these flags to {@code spec} (the serve command's). */
    void addTo(CommandSpec spec) {
        spec.addOption(ServeCommand.option(Path.class, v -> cert = v, () -> cert, "--tls-cert").paramLabel("FILE")
                .description("Serve HTTPS with this certificate chain (PEM, leaf first); with --tls-key.").build());
        spec.addOption(ServeCommand.option(Path.class, v -> key = v, () -> key, "--tls-key").paramLabel("FILE")
                .description("The private key of --tls-cert (PEM: PKCS#8, RSA or EC).").build());
        spec.addOption(ServeCommand.option(boolean.class, v -> https = v, () -> https, "--https")
                .description("Serve HTTPS with a certificate from tenk's local development CA (made on first use; `tenk ca` shows how to trust it).").build());
    }

    /** The configuration with these flags applied; IllegalArgumentException carries a user-facing message. */
    ServerConfig apply(ServerConfig cfg, Map<String, String> env) {
        if ((cert == null) != (key == null)) throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        if (https && cert != null) throw new IllegalArgumentException("--https makes its own certificate: leave out --tls-cert and --tls-key");
        TlsConfig tls;
        if (cert != null) {
            readable("--tls-cert", cert);
            readable("--tls-key", key);
            tls = new TlsConfig(cert.toAbsolutePath().normalize(), key.toAbsolutePath().normalize(), false);
        } else if (https) {
            Path dir = LocalCa.defaultDir(env);
            try {
                tls = LocalCa.loadOrCreate(dir).issue(cfg.sites().stream().flatMap(s -> s.names().stream()).toList());
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("--https: cannot use the local CA in " + dir + ": " + e.getMessage());
            }
        } else {
            return cfg;
        }
        List<Listen> listen = cfg.listen().stream().map(l -> new Listen(l.host(), l.port(), true)).toList();
        List<Site> sites = cfg.sites().stream().map(s -> s.tls() == null ? s.withTls(tls) : s).toList();
        return cfg.with(b -> b.listen(listen).sites(sites));
    }

    /** The bound ports of the HTTPS listeners ({@code bound} in the order configured). */
    static java.util.Set<Integer> httpsPorts(ServerConfig cfg, List<java.net.InetSocketAddress> bound) {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (int i = 0; i < bound.size() && i < cfg.listen().size(); i++) {
            if (cfg.listen().get(i).tls()) ports.add(bound.get(i).getPort());
        }
        return ports;
    }

    private static void readable(String flag, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) throw new IllegalArgumentException(flag + ": cannot read " + file);
    }
}
