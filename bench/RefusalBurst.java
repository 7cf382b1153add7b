import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/**
 * The client of bench/refusal-burst: java RefusalBurst.java PORT COUNT PID... opens COUNT connections
 * one after another (each sends a GET and stays open), samples the descriptor count of the PIDs every
 * 5 ms, then reads every answer (200, 503, closed, or nothing within 300 ms) and tries a fresh client.
 */
public class RefusalBurst {
    static int fds(long pid) { String[] l = new File("/proc/" + pid + "/fd").list(); return l == null ? -1 : l.length; }
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]), count = Integer.parseInt(a[1]);
        long[] pids = Arrays.stream(a).skip(2).mapToLong(Long::parseLong).toArray();
        int base = 0; for (long p : pids) base += fds(p);
        AtomicInteger max = new AtomicInteger(base);
        AtomicBoolean stop = new AtomicBoolean();
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (!stop.get()) { int n = 0; for (long p : pids) n += fds(p); max.accumulateAndGet(n, Math::max);
                try { Thread.sleep(5); } catch (InterruptedException e) { return; } }
        });
        List<Socket> held = new ArrayList<>();
        long t0 = System.nanoTime();
        byte[] req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        int failedConnect = 0;
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try { s.connect(new InetSocketAddress("127.0.0.1", port), 2000); s.getOutputStream().write(req); held.add(s); }
            catch (IOException e) { failedConnect++; s.close(); }
        }
        long burstMs = (System.nanoTime() - t0) / 1_000_000;
        int atEnd = 0; for (long p : pids) atEnd += fds(p);
        Thread.sleep(1500);
        int maxDuring = max.get();
        int after = 0; for (long p : pids) after += fds(p);
        int ok = 0, refused = 0, closed = 0, silent = 0;
        for (Socket s : held) {
            s.setSoTimeout(300);
            try { byte[] b = new byte[16]; int n = s.getInputStream().read(b);
                String st = n > 0 ? new String(b, 0, n, StandardCharsets.ISO_8859_1) : "";
                if (st.startsWith("HTTP/1.1 200")) ok++; else if (st.startsWith("HTTP/1.1 503")) refused++; else closed++; }
            catch (SocketTimeoutException e) { silent++; } catch (IOException e) { closed++; }
        }
        for (Socket s : held) s.close();
        stop.set(true); sampler.join();
        // a fresh client after the burst
        String fresh;
        try (Socket s = new Socket()) { s.connect(new InetSocketAddress("127.0.0.1", port), 2000); s.setSoTimeout(3000); s.getOutputStream().write(req);
            byte[] b = new byte[16]; int n = s.getInputStream().read(b); fresh = n > 0 ? new String(b, 0, 12, StandardCharsets.ISO_8859_1) : "closed"; }
        catch (IOException e) { fresh = "failed: " + e.getMessage(); }
        System.out.printf("connects=%d failed=%d in %d ms | descriptors: before %d, at the end %d, at most %d, 1.5 s later %d | 200: %d, 503: %d, closed: %d, no answer: %d | then a fresh client: %s%n",
                count, failedConnect, burstMs, base, atEnd, maxDuring, after, ok, refused, closed, silent, fresh);
    }
}
