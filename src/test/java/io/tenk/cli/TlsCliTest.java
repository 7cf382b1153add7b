package io.tenk.cli;

import io.tenk.config.ServerConfig;
import io.tenk.config.Site;
import io.tenk.tls.LocalCa;
import io.tenk.tls.PemFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import static io.tenk.cli.CliTest.assertOneLineError;
import static io.tenk.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTPS flags and {@code tenk ca}: the local CA made once, private, and its certificates. */
class TlsCliTest {
    @TempDir Path dir;

    @Test void certAndKeyGoTogetherAndMustBeReadable() throws Exception {
        assertOneLineError(run("-d", dir.toString(), "--tls-cert", "x.pem"), 2, "--tls-cert and --tls-key go together");
        assertOneLineError(run("-d", dir.toString(), "--tls-cert", "x.pem", "--tls-key", "y.pem"), 2, "--tls-cert: cannot read x.pem");
        Files.writeString(dir.resolve("c.pem"), "not a certificate\n");
        Files.writeString(dir.resolve("k.pem"), "not a key\n");
        assertOneLineError(run("-d", dir.toString(), "-p", "0", "--tls-cert", dir.resolve("c.pem").toString(),
                "--tls-key", dir.resolve("k.pem").toString()), 1, "c.pem: no CERTIFICATE block found");
        assertOneLineError(run("-d", dir.toString(), "--https", "--tls-cert", "c", "--tls-key", "k"), 2, "--https makes its own certificate");
    }

    @Test void httpsMakesTheCaOnceAndALeafForLocalNamesAndSites() throws Exception {
        Map<String, String> env = Map.of("XDG_DATA_HOME", dir.resolve("data").toString());
        TlsOptions o = new TlsOptions();
        o.https = true;
        ServerConfig plain = ServerConfig.defaults(dir).with(b -> b.sites(List.of(
                new Site(List.of("*"), ServerConfig.defaultSiteOptions(dir), null, List.of()),
                new Site(List.of("app.test"), ServerConfig.defaultSiteOptions(dir), null, List.of()))));
        ServerConfig cfg = o.apply(plain, env);
        assertTrue(cfg.listen().getFirst().tls());
        Path data = dir.resolve("data/tenk");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        for (String f : List.of("ca.pem", "ca-key.pem", "localhost.pem", "localhost-key.pem")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(f))), f);
        }
        assertEquals(data.resolve("localhost.pem"), cfg.sites().get(1).tls().cert());
        X509Certificate leaf = PemFiles.readChain(data.resolve("localhost.pem")).getFirst();
        String names = String.valueOf(leaf.getSubjectAlternativeNames());
        for (String n : List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "app.test")) assertTrue(names.contains(n), names);
        byte[] ca = Files.readAllBytes(data.resolve("ca.pem"));
        byte[] leafBytes = Files.readAllBytes(data.resolve("localhost.pem"));
        // a second start keeps the CA and the leaf; a new name gets a new leaf from the same CA
        o.apply(plain, env);
        assertEquals(new String(ca), Files.readString(data.resolve("ca.pem")));
        assertEquals(new String(leafBytes), Files.readString(data.resolve("localhost.pem")));
        o.apply(plain.with(b -> b.sites(List.of(Site.serving(dir).withOptions(ServerConfig.defaultSiteOptions(dir)),
                new Site(List.of("new.test"), ServerConfig.defaultSiteOptions(dir), null, List.of())))), env);
        assertEquals(new String(ca), Files.readString(data.resolve("ca.pem")));
        assertNotEquals(new String(leafBytes), Files.readString(data.resolve("localhost.pem")));
        // without the flags nothing changes
        assertNull(new TlsOptions().apply(plain, env).sites().getFirst().tls());
    }

    @Test void caPrintsItsPathAndHowToTrustIt() {
        Map<String, String> env = Map.of("HOME", dir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = new CaCommand().run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String said = out.toString(StandardCharsets.UTF_8);
        Path ca = LocalCa.certFile(dir.resolve(".local/share/tenk"));
        assertTrue(Files.exists(ca));
        assertEquals(ca.toString(), said.lines().findFirst().orElseThrow());
        assertTrue(said.contains("cp " + ca + " /usr/local/share/ca-certificates/") && said.contains("update-ca-certificates"), said);
        assertTrue(said.contains("certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n tenk -i " + ca), said);
    }
}
