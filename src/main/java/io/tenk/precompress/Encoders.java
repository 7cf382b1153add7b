package io.tenk.precompress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder.Mode;
import com.aayushatharva.brotli4j.encoder.Encoder.Parameters;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import io.tenk.files.ContentCoding;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The encoders this machine can run, strongest settings (precompression happens once, ahead of
 * time): gzip level 9 (the JDK), brotli quality 11 (brotli4j, a native library) and zstd level 19
 * (zstd-jni, a native library). A native library that does not load on this platform is skipped
 * with one message; gzip always works.
 */
public final class Encoders {
    private Encoders() {}

    /** The encoders for the codings asked for, in the order asked; {@code skipped} hears why one is missing. */
    public static List<Encoder> load(List<ContentCoding> wanted, Consumer<String> skipped) {
        List<Encoder> out = new ArrayList<>();
        for (ContentCoding c : wanted) {
            try {
                Encoder e = switch (c) {
                    case GZIP -> gzip();
                    case BR -> brotli();
                    case ZSTD -> zstd();
                };
                selfTest(e);
                out.add(e);
            } catch (Throwable t) { // a native library failing to load throws Errors (UnsatisfiedLinkError, …)
                skipped.accept("skipping " + c.token() + ": its native library does not load on this machine ("
                        + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage().strip()) + ")");
            }
        }
        return out;
    }

    private static void selfTest(Encoder e) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = e.wrap(sink)) {
            o.write("tenk".repeat(64).getBytes());
        }
        if (sink.size() == 0) throw new IOException("produced nothing");
    }

    static Encoder gzip() {
        return new Encoder() {
            @Override public ContentCoding coding() { return ContentCoding.GZIP; }
            @Override public OutputStream wrap(OutputStream out) throws IOException {
                return new GZIPOutputStream(out, 64 * 1024) {
                    { def.setLevel(Deflater.BEST_COMPRESSION); }
                };
            }
        };
    }

    static Encoder brotli() {
        Brotli4jLoader.ensureAvailability();
        return new Encoder() {
            @Override public ContentCoding coding() { return ContentCoding.BR; }
            @Override public OutputStream wrap(OutputStream out) throws IOException {
                return new BrotliOutputStream(out, new Parameters().setQuality(11).setMode(Mode.TEXT));
            }
        };
    }

    static Encoder zstd() {
        Zstd.defaultCompressionLevel(); // loads the native library, or throws
        return new Encoder() {
            @Override public ContentCoding coding() { return ContentCoding.ZSTD; }
            @Override public OutputStream wrap(OutputStream out) throws IOException {
                return new ZstdOutputStream(out, 19);
            }
        };
    }
}
