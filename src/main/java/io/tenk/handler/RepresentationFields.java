package io.tenk.handler;

import io.tenk.files.ContentCoding;
import io.tenk.files.Representation;
import io.tenk.http.Headers;
import io.tenk.http.ResponseHead;

/**
 * The fields of a file's 200 response, made once per representation and handed to each response
 * as a copy-on-write {@link Headers#copy() copy}: a response that nothing changes costs no field
 * array and no field added one by one, and from the second response on, its head gets the fields
 * as bytes encoded once ({@link ResponseHead#keepEncoded}); one that a rule or a range changes
 * takes its own.
 *
 * <p>A small table indexed by the entity-tag's hash, one entry a slot, shared by every thread
 * that serves the site: entries are immutable and a slot holds the last one stored, so a collision
 * costs a rebuild, never a wrong field. An entry is used only for the very strings it was made of
 * (the open-file cache keeps one set per file while it stays the same), so a changed file, type or
 * coding makes a new one. A file seen once costs its fields and an entry; the bytes are encoded
 * only when it is asked for again, so a site of more hot files than slots pays little more than
 * making the fields per response.
 */
final class RepresentationFields {
    private static final int SLOTS = 1024; // a power of two

    /** What the fields were made of, the fields, and whether they were asked for again (then their bytes are kept, where they can be). */
    private record Entry(String etag, String lastModified, String type, ContentCoding coding,
                         boolean vary, String cacheControl, Headers fields, boolean askedAgain) {}

    private final Entry[] slots = new Entry[SLOTS];

    /**
     * The fields of a 200 for {@code rep}, in this order: {@code Vary} (when asked), Content-Type,
     * Last-Modified, ETag, Accept-Ranges, Content-Encoding (when coded), Cache-Control (when not
     * null).
     */
    Headers of(Representation rep, String type, boolean vary, String cacheControl) {
        String etag = rep.etag();
        int i = etag.hashCode() & (SLOTS - 1);
        Entry e = slots[i];
        if (e != null && e.etag == etag && e.lastModified == rep.lastModified() && e.type == type
                && e.coding == rep.coding() && e.vary == vary && e.cacheControl == cacheControl) {
            if (e.askedAgain) return e.fields.copy();
            Headers fields = e.fields.copy(); // a new instance to carry the bytes: the kept one is only read
            keepEncoded(fields);
            Headers given = fields.copy(); // before the entry is stored: only read once others see it
            slots[i] = new Entry(etag, e.lastModified, type, e.coding, vary, cacheControl, fields, true);
            return given;
        }
        Headers fields = make(rep, type, vary, cacheControl);
        Headers given = fields.copy();
        slots[i] = new Entry(etag, rep.lastModified(), type, rep.coding(), vary, cacheControl, fields, false);
        return given;
    }

    /** Keeps the fields' bytes with them, unless a field can never be sent. */
    private static void keepEncoded(Headers fields) {
        try {
            ResponseHead.keepEncoded(fields); // every unchanged copy is written as these bytes
        } catch (IllegalArgumentException unsendable) {
            // a configured type with a control character: each response's head refuses it as it
            // would without this table
        }
    }

    /** The same fields, made for this response alone (nothing kept). */
    static Headers make(Representation rep, String type, boolean vary, String cacheControl) {
        Headers h = new Headers(7);
        if (vary) h.add("Vary", "Accept-Encoding");
        h.add("Content-Type", type)
                .add("Last-Modified", rep.lastModified())
                .add("ETag", rep.etag())
                .add("Accept-Ranges", "bytes");
        if (rep.coding() != null) h.add("Content-Encoding", rep.coding().token());
        if (cacheControl != null) h.add("Cache-Control", cacheControl);
        return h;
    }
}
