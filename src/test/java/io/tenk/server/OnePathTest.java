package io.tenk.server;

import io.tenk.TenkServer;
import io.tenk.cli.Main;
import io.tenk.config.ConfigFile;
import io.tenk.config.ServerConfig;
import io.tenk.model.Models;
import io.tenk.observe.AccessLog;
import io.tenk.observe.ErrorLog;
import io.tenk.support.HttpReply;
import io.tenk.support.RawClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules and files see one path: every spelling of a denied path is denied over a real socket
 * (nginx answers 403 to each as well), the precompressed siblings of a denied path are denied,
 * an invalid path is 400, and {@code tenk rules test} gives the answer the server gives.
 */
class OnePathTest {
    @TempDir static Path dir;
    static Path config;
    static TenkServer server;

    static final String CONFIG = """
            [server]
            listen = ["127.0.0.1:0"]

            [[site]]
            names = ["*"]
            root = "www"

            [[site.rule]]
            deny = '^/private/'

            [[site.rule]]
            deny = '^/config\\.json$'

            [[site.rule]]
            rewrite = '^/old\\.js$'
            to = '/new.js'
            """;

    @BeforeAll static void start() throws IOException {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(www.resolve("private"));
        Files.createDirectories(www.resolve("x"));
        Files.writeString(www.resolve("private/s.txt"), "SECRET\n");
        Files.writeString(www.resolve("config.json"), "{\"secret\":1}\n");
        Files.write(www.resolve("config.json.gz"), new byte[] {0x1f, (byte) 0x8b});
        Files.write(www.resolve("config.json.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
        Files.writeString(www.resolve("public.txt"), "public\n");
        Files.writeString(www.resolve("new.js"), "new\n");
        Files.writeString(www.resolve("new.js.gz"), "new-gz\n");
        Files.writeString(www.resolve("old.js.gz"), "old-gz\n");
        config = Files.writeString(dir.resolve("tenk.toml"), CONFIG);
        ServerConfig c = ConfigFile.load(config, ServerConfig.defaults(dir).with(b -> b.accessLog(false)));
        server = TenkServer.start(c, AccessLog.disabled(), new ErrorLog(new PrintStream(new ByteArrayOutputStream()), false));
    }

    @AfterAll static void stop() { server.close(); }

    private static HttpReply get(String target, String... fields) throws IOException {
        try (RawClient c = new RawClient(server.address())) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", fields) + "Connection: close\r\n\r\n");
            return c.read();
        }
    }

    /** The status line tenk rules test predicts for a target. */
    private static String predicted(String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"rules", "test", "--config", config.toString(), target},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Matcher m = Pattern.compile("result: (\\d{3} [A-Za-z ]+)").matcher(text);
        assertTrue(m.find(), text);
        return "HTTP/1.1 " + m.group(1).strip();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /private/s.txt                 | HTTP/1.1 403 Forbidden
            //private/s.txt                | HTTP/1.1 403 Forbidden
            /./private/s.txt               | HTTP/1.1 403 Forbidden
            /x/../private/s.txt            | HTTP/1.1 403 Forbidden
            /x/%2e%2e/private/s.txt        | HTTP/1.1 403 Forbidden
            /%2e/private/s.txt             | HTTP/1.1 403 Forbidden
            /%70rivate/s.txt               | HTTP/1.1 403 Forbidden
            /private//s.txt                | HTTP/1.1 403 Forbidden
            /config.json                   | HTTP/1.1 403 Forbidden
            /config.json.gz                | HTTP/1.1 403 Forbidden
            /config.json.zst               | HTTP/1.1 403 Forbidden
            //config.json.gz               | HTTP/1.1 403 Forbidden
            /x/../config.json.zst          | HTTP/1.1 403 Forbidden
            /public.txt                    | HTTP/1.1 200 OK
            /x//../public.txt              | HTTP/1.1 200 OK
            /old.js.gz                     | HTTP/1.1 200 OK
            /..                            | HTTP/1.1 400 Bad Request
            /../private/s.txt              | HTTP/1.1 400 Bad Request
            /%2e%2e/private/s.txt          | HTTP/1.1 400 Bad Request
            /private%2Fs.txt               | HTTP/1.1 400 Bad Request
            /private/s.txt%00              | HTTP/1.1 400 Bad Request
            """)
    void everySpellingGetsTheAnswerOfItsPath(String target, String statusLine) throws IOException {
        HttpReply r = get(target);
        assertEquals(statusLine, r.statusLine(), target);
        assertFalse(new String(r.body(), StandardCharsets.ISO_8859_1).contains("SECRET"), target);
        assertEquals(statusLine, predicted(target), "tenk rules test agrees for " + target);
    }

    @Test
    void aRewrittenPathsSiblingFollowsTheRewrite() throws IOException {
        assertEquals("new-gz\n", get("/old.js.gz").bodyText());
        assertEquals("new\n", get("/old.js").bodyText());
    }

    @Test
    void aDeniedPathIsDeniedWhateverTheEncodingAccepted() throws IOException {
        assertEquals("HTTP/1.1 403 Forbidden", get("/config.json", "Accept-Encoding: gzip, zstd\r\n").statusLine());
        assertEquals("HTTP/1.1 403 Forbidden", get("/config.json.gz", "Accept-Encoding: gzip\r\n").statusLine());
    }
}
