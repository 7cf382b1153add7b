package io.tenk.config;

import io.tenk.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS in a config file: {@code https://} listen addresses and a site's {@code tls} table. */
class TlsConfigFileTest {
    @TempDir Path dir;

    private ServerConfig load(String text) throws IOException {
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("chain.pem"), "x");
        Files.writeString(dir.resolve("key.pem"), "x");
        return ConfigFile.load(Files.writeString(dir.resolve("tenk.toml"), text), ServerConfig.defaults(dir));
    }

    @Test void httpsListenAndSiteCertificates() throws IOException {
        ServerConfig c = load("""
                [server]
                listen = ["127.0.0.1:8080", "https://127.0.0.1:8443", "https://[::1]:8443", "http://[::1]:8080"]

                [[site]]
                names = ["example.test"]
                root = "www"
                tls = { cert = "chain.pem", key = "key.pem", hsts = true }

                [[site]]
                names = ["*"]
                root = "www"
                """);
        assertEquals(List.of(new Listen("127.0.0.1", 8080), new Listen("127.0.0.1", 8443, true),
                new Listen("::1", 8443, true), new Listen("::1", 8080)), c.listen());
        assertEquals("https://[::1]:8443", c.listen().get(2).toString());
        assertEquals(new TlsConfig(dir.resolve("chain.pem"), dir.resolve("key.pem"), true), c.sites().getFirst().tls());
        assertNull(c.sites().get(1).tls());
        assertEquals(List.of(new Listen("127.0.0.1", 0, true)), c.with(b -> b.listen(List.of(c.listen().get(1))).port(0)).listen());
    }

    /** A config that fails to load at {@code key}, the problem saying {@code problem}. */
    private record Bad(String toml, String key, String problem) {}

    private void refused(Bad... bad) {
        for (Bad b : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(b.toml()), b.toml());
            assertEquals(b.key(), e.key(), e.getMessage());
            assertTrue(e.problem().contains(b.problem()), e.getMessage());
        }
    }

    @Test void badTlsTablesNameTheKey() throws IOException {
        String site = "[[site]]\nnames = [\"*\"]\nroot = \"www\"\n";
        refused(
                new Bad(site + "tls = \"yes\"\n", "site[1].tls", "expected \"acme\" or a table"),
                new Bad(site + "tls = { cert = \"chain.pem\" }\n", "site[1].tls.key", "missing (the private key, PEM)"),
                new Bad(site + "tls = { cert = \"none.pem\", key = \"key.pem\" }\n", "site[1].tls.cert", "cannot read file"),
                new Bad(site + "tls = { cert = \"chain.pem\", key = \"key.pem\", hsts = 1 }\n", "site[1].tls.hsts", "expected true or false"),
                new Bad(site + "tls = { cert = \"chain.pem\", key = \"key.pem\", ocsp = true }\n", "site[1].tls.ocsp", "unknown key"));
    }

    @Test void acmeSitesAndTheirCa() throws IOException {
        Files.writeString(dir.resolve("roots.pem"), "x");
        ServerConfig c = load("""
                [acme]
                directory = "https://ca.test:14000/dir"
                email = "admin@example.test"
                storage = "state"
                ca = "roots.pem"
                retry = "5s"

                [[site]]
                names = ["example.test", "www.example.test"]
                root = "www"
                tls = "acme"

                [[site]]
                names = ["other.test"]
                root = "www"
                tls = { acme = true, hsts = true }
                """);
        AcmeConfig acme = new AcmeConfig(java.net.URI.create("https://ca.test:14000/dir"), "admin@example.test",
                dir.resolve("state"), dir.resolve("roots.pem"), java.time.Duration.ofSeconds(5));
        assertEquals(TlsConfig.acme(acme, false), c.sites().getFirst().tls());
        assertEquals(TlsConfig.acme(acme, true), c.sites().get(1).tls());
        // without [acme]: Let's Encrypt, the data folder, a minute's first retry
        ServerConfig d = load("[[site]]\nnames = [\"example.test\"]\nroot = \"www\"\ntls = \"acme\"\n");
        assertEquals(AcmeConfig.defaults(), d.sites().getFirst().tls().acme());
        assertEquals("https://acme-v02.api.letsencrypt.org/directory", AcmeConfig.defaults().directory().toString());
    }

    @Test void badAcmeSettingsNameTheKey() throws IOException {
        String site = "[[site]]\nnames = [\"example.test\"]\nroot = \"www\"\n";
        refused(
                new Bad("[[site]]\nnames = [\"*.example.test\"]\nroot = \"www\"\ntls = \"acme\"\n", "site[1].tls",
                        "'*.example.test' is a wildcard: ACME by HTTP-01 gives certificates for exact names only (a wildcard needs DNS-01)"),
                new Bad("[[site]]\nnames = [\"*\"]\nroot = \"www\"\ntls = \"acme\"\n", "site[1].tls", "'*' is a wildcard"),
                new Bad(site + "tls = { acme = true, cert = \"chain.pem\" }\n", "site[1].tls.cert", "a certificate by ACME has no files"),
                new Bad(site + "tls = \"acme\"\n[acme]\ndirectory = \"http://ca.test/dir\"\n", "acme.directory", "expected an https:// URL"),
                new Bad(site + "tls = \"acme\"\n[acme]\nemail = \"nobody\"\n", "acme.email", "not an email address"),
                new Bad(site + "tls = \"acme\"\n[acme]\nca = \"none.pem\"\n", "acme.ca", "cannot read file"),
                new Bad(site + "tls = \"acme\"\n[acme]\nretry = \"0s\"\n", "acme.retry", "out of range"),
                new Bad(site + "tls = \"acme\"\n[acme]\nhttp01 = false\n", "acme.http01", "unknown key"),
                new Bad(site + "tls = \"acme\"\n[server]\nmodel = \"prefork\"\n", "", "certificates by ACME need a model that serves in one process"));
    }
}
