package io.tenk.precompress;

import io.tenk.files.ContentCoding;

import java.io.IOException;
import java.io.OutputStream;

/** One way to compress a file for {@code tenk compress}: a content coding and a stream that makes it. */
public interface Encoder {
    ContentCoding coding();

    /** Wraps {@code out} so that what is written to the result comes out compressed; closing it finishes the stream. */
    OutputStream wrap(OutputStream out) throws IOException;
}
