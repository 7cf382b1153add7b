package io.tenk.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A response as read off the wire by {@link RawClient}. */
public record HttpReply(String statusLine, int status, List<String[]> headers, String rawHead, byte[] body) {

    static HttpReply parseHead(byte[] head) {
        String raw = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = raw.split("\r\n");
        String statusLine = lines[0];
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> hs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isEmpty()) continue;
            int c = lines[i].indexOf(':');
            hs.add(new String[] {lines[i].substring(0, c), lines[i].substring(c + 1).strip()});
        }
        return new HttpReply(statusLine, status, hs, raw, new byte[0]);
    }

    HttpReply withBody(byte[] b) { return new HttpReply(statusLine, status, headers, rawHead, b); }

    public String header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
        return null;
    }

    public long contentLength() {
        String v = header("Content-Length");
        return v == null ? 0 : Long.parseLong(v);
    }

    public String bodyText() { return new String(body, StandardCharsets.UTF_8); }

    /** The head with the Date value replaced by {@code <date>}, for exact comparisons. */
    public String headWithoutDate() {
        return rawHead.replaceAll("(?m)^Date: [^\r\n]*", "Date: <date>");
    }
}
