package io.tenk.hostile;

import io.tenk.support.ChildJvm;
import io.tenk.support.JvmStarts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A directory of 10,000 long names, asked for by hundreds of connections that never read, against
 * a server in its own JVM with a 64 MiB heap and the launcher's collector: the listing is rendered
 * once and shared, so the server neither runs out of memory nor stops answering a normal client.
 * (Rendered per response, each connection held its own ~10 MB page: the heap was gone after six.)
 */
class ListingFloodTest {
    static final int NAMES = 10_000;
    static final int CONNECTIONS = 300;

    @TempDir Path root;
    Process server;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach void stop() {
        for (Socket s : sockets) {
            try { s.close(); } catch (IOException ignored) { /* closing */ }
        }
        if (server != null) server.destroyForcibly();
    }

    @Test void nonReadingClientsOfAHugeListingLeaveTheServerServing() throws Exception {
        Path big = Files.createDirectory(root.resolve("big"));
        String pad = "long-name-".repeat(19); // 190 characters
        for (int i = 0; i < NAMES; i++) Files.createFile(big.resolve(String.format("%s%05d.txt", pad, i)));
        Files.writeString(root.resolve("small.txt"), "still here\n");
        Path errors = root.resolveSibling(root.getFileName() + "-stderr.txt");

        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of("-Xmx64m")));
        cmd.addAll(List.of("-q", "-p", "0", "-d", root.toString()));
        JvmStarts.Started started = JvmStarts.process(new ProcessBuilder(cmd).redirectError(errors.toFile()));
        server = started.process();
        String first = started.first();
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(first == null ? "" : first);
        assertTrue(m.find(), "the server names its URL: " + first);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
        started.drain();
        byte[] request = "GET /big/ HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < CONNECTIONS; i++) {
            Socket s = new Socket();
            s.setReceiveBufferSize(2048);
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            sockets.add(s);
            s.getOutputStream().write(request);
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            // its response has begun (so the page is made and held for it); nothing more is read
            assertTrue(sockets.get(i).getInputStream().read() >= 0, "connection " + i + " got its response");
        }
        assertEquals("still here\n", get(address, "/small.txt"));
        String page = get(address, "/big/");
        assertTrue(page.contains((NAMES - 5_000) + " more not shown"), page.substring(0, Math.min(page.length(), 2000)));
        assertTrue(server.isAlive(), "the server is alive");
        String log = Files.readString(errors);
        assertFalse(log.contains("OutOfMemoryError"), log);
    }

    /** A plain client that reads its whole answer (Connection: close). */
    static String get(InetSocketAddress address, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(address, 5_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 200 "), response.substring(0, Math.min(response.length(), 200)));
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }
}
