package io.tenk.conn;

import io.tenk.http.Body;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;

/**
 * Moves a response (its encoded head, then its body) to a {@link Transport}, as far as it takes
 * it. File regions go out with {@link Transport#sendFile} (sendfile on a plain socket), so file
 * content need not enter the heap. A call stops when the transport takes nothing more and is
 * called again later.
 *
 * <p>A session borrows one from its I/O thread ({@link IoBuffers}) for a response, or keeps one
 * for its life where the thread lends none, and starts it again for each response
 * ({@link #start}); between responses it holds nothing of the last one.
 */
final class BodyWriter {
    /**
     * In-memory bytes are offered to a write at most this many at a time: the JDK copies a heap
     * buffer whole into a temporary direct buffer for each write, so offering a large shared
     * listing whole would copy megabytes per write and cache a direct buffer that size per thread.
     */
    private static final int BYTES_CHUNK = 64 * 1024;

    private ByteBuffer head;
    private Body body;
    private Body next;                // the body to start after the current leaf, if any
    private ArrayDeque<Body> later;   // the parts after it (made for multipart bodies only)
    private final ByteBuffer[] headAndBytes = new ByteBuffer[2];
    private long bodyBytesWritten;
    private int bodyInHead;           // body bytes copied in after the head
    private long sent;                // every byte written, head included
    private long writeBy;             // set before the writer is published to other threads

    // the leaf body being written
    private Body current;
    private ByteBuffer bytes;      // for Body.Bytes
    private SharedFiles.Open opened; // for Body.FileRegion: its file, maybe shared with other responses
    private FileChannel file;        // opened's channel
    private long filePos, fileEnd;
    private ByteBuffer streamBuf;  // for Body.Stream
    private boolean streamDone;

    /**
     * Begins a response: {@code body} is sent after the head (null for none). The last response
     * must have been {@linkplain #close() closed}.
     */
    BodyWriter start(Body body) {
        this.body = body;
        this.next = body;
        head = null;
        bodyBytesWritten = sent = writeBy = 0;
        bodyInHead = 0;
        return this;
    }

    /**
     * Opens the body's first file now, before anything is written, so that a file gone since the
     * handler looked it up can still be answered with an error instead of a cut connection.
     */
    void open() throws IOException {
        if (!(next instanceof Body.Bytes)) advance(); // bytes have nothing to open, and may join the head
    }

    /**
     * The encoded head to write before the body. A body of bytes that fits in the rest of a direct
     * head buffer is copied in after the head, so that the response leaves in one write of one
     * buffer: the copy the JDK would make of it into a direct buffer of its own anyway, without the
     * gathering write around it.
     */
    void head(ByteBuffer encoded) {
        this.head = encoded;
        if (encoded.isDirect() && next instanceof Body.Bytes b && b.data().length <= encoded.capacity() - encoded.limit()) {
            int end = encoded.limit();
            encoded.limit(end + b.data().length).put(end, b.data());
            bodyInHead = b.data().length;
            next = null;
        }
    }

    long bodyBytesWritten() { return bodyBytesWritten; }

    /** Bytes the whole response takes: the head not yet written and the body. */
    long length() {
        return (head == null ? 0 : head.remaining()) + (body == null ? 0 : body.length()) - bodyInHead;
    }

    /** The time ({@link System#nanoTime()} scale) by which everything must be written. */
    void writeBy(long deadline) { this.writeBy = deadline; }

    long writeBy() { return writeBy; }

    /** Bytes written so far, head included. */
    long sent() { return sent; }

    /**
     * Writes as much as the channel accepts. Returns true once everything was written, false when
     * the channel would block.
     *
     * @throws IOException when the peer is gone, or a file ended before its promised length
     *                     (truncated while being sent): the connection must close
     */
    boolean writeTo(Transport out) throws IOException {
        if (head != null && head.hasRemaining()) {
            if (advance() && bytes != null) {
                // a head and an in-memory body leave in one writev
                int before = bytes.position();
                int limit = bytes.limit();
                bytes.limit(Math.min(limit, before + BYTES_CHUNK));
                long n;
                headAndBytes[0] = head;
                headAndBytes[1] = bytes;
                try {
                    n = out.write(headAndBytes);
                } finally {
                    bytes.limit(limit);
                    headAndBytes[0] = headAndBytes[1] = null;
                }
                bodyBytesWritten += bytes.position() - before;
                sent += n;
            } else if (file != null && filePos < fileEnd) {
                // a head and a file region: the transport may send them together
                int before = head.remaining();
                long n = out.sendFile(head, file, filePos, fileEnd - filePos);
                long fromFile = n - (before - head.remaining());
                filePos += fromFile;
                bodyBytesWritten += fromFile;
                sent += n;
            } else {
                sent += out.write(head);
                if (bodyInHead > 0) bodyBytesWritten = bodyInHead - Math.min(bodyInHead, head.remaining());
            }
            if (head.hasRemaining()) return false;
        }
        while (advance()) {
            if (current == null) return true;
            if (bytes != null) {
                int before = bytes.position();
                if (bytes.hasRemaining()) writeChunk(out);
                bodyBytesWritten += bytes.position() - before;
                sent += bytes.position() - before;
                if (bytes.hasRemaining()) {
                    if (bytes.position() > before) continue;
                    return false;
                }
                finishLeaf();
            } else if (file != null) {
                if (filePos < fileEnd) {
                    long n = out.sendFile(file, filePos, fileEnd - filePos);
                    if (n == 0) {
                        if (file.size() < fileEnd) throw new EOFException("file shrank while being sent");
                        return false;
                    }
                    filePos += n;
                    bodyBytesWritten += n;
                    sent += n;
                    if (filePos < fileEnd) continue;
                }
                finishLeaf();
            } else {
                if (!writeStream(out)) return false;
                finishLeaf();
            }
        }
        return true;
    }

    /** Makes {@code current} the next leaf to write; returns false when everything is done. */
    private boolean advance() throws IOException {
        while (current == null) {
            Body next = this.next;
            if (next != null) this.next = null;
            else if (later != null && !later.isEmpty()) next = later.poll();
            else return false;
            switch (next) {
                case Body.Empty e -> { }
                case Body.Bytes b -> { current = b; bytes = ByteBuffer.wrap(b.data()); }
                case Body.FileRegion r -> {
                    current = r;
                    opened = SharedFiles.PROCESS.open(r); // beneath the root, a regular file, holding the region
                    file = opened.channel;
                    filePos = r.offset();
                    fileEnd = r.offset() + r.length();
                }
                case Body.Stream s -> { current = s; streamBuf = ByteBuffer.allocate(16 * 1024).flip(); }
                case Body.Parts p -> {
                    if (later == null) later = new ArrayDeque<>();
                    var it = p.parts().listIterator(p.parts().size());
                    while (it.hasPrevious()) later.addFirst(it.previous());
                }
            }
        }
        return true;
    }

    /** Writes the next {@link #BYTES_CHUNK} or fewer of {@code bytes}. */
    private void writeChunk(Transport out) throws IOException {
        int limit = bytes.limit();
        bytes.limit(Math.min(limit, bytes.position() + BYTES_CHUNK));
        try {
            out.write(bytes);
        } finally {
            bytes.limit(limit);
        }
    }

    private boolean writeStream(Transport out) throws IOException {
        Body.Stream s = (Body.Stream) current;
        while (true) {
            if (streamBuf.hasRemaining()) {
                int n = out.write(streamBuf);
                bodyBytesWritten += n;
                sent += n;
                if (streamBuf.hasRemaining()) return false;
            }
            if (streamDone) return true;
            streamBuf.clear();
            int r = s.read(streamBuf);
            streamBuf.flip();
            if (r < 0) streamDone = true;
        }
    }

    private void finishLeaf() {
        releaseFile();
        current = null;
        bytes = null;
        streamBuf = null;
        streamDone = false;
    }

    /** Lets go of the file being sent: closed, or left to the other responses sending it. */
    private void releaseFile() {
        if (opened != null) {
            opened.release();
            opened = null;
            file = null;
        }
    }

    /** The head is in a buffer lent by the I/O thread: keep the unwritten rest in our own. */
    void detachHead() {
        if (head != null && head.hasRemaining() && head.isDirect()) {
            ByteBuffer own = ByteBuffer.allocate(head.remaining());
            own.put(head).flip();
            head = own;
        }
    }

    /** Releases the open file and the body's resources, and lets go of the response. Idempotent. */
    void close() {
        releaseFile();
        if (body != null) body.close();
        body = next = current = null;
        if (later != null) later.clear();
        head = bytes = streamBuf = null;
        streamDone = false;
    }
}
