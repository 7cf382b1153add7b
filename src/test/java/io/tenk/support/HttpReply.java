package io.tenk.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A response as read off the wire by {@link RawClient}. */
public record HttpReply(String statusLine, int status, List<String[]> headers, String rawHead, byte[] body) {

    static HttpReply parseHead(byte[] head) {
        String raw = new String(head, StandardCharsets.ISO_8859_1);
        int eol = raw.indexOf("\r\n");
        String statusLine = eol < 0 ? raw : raw.substring(0, eol);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> hs = new ArrayList<>();
        for (int at = eol + 2; eol >= 0 && at < raw.length(); at = eol + 2) {
            eol = raw.indexOf("\r\n", at);
            String line = raw.substring(at, eol < 0 ? raw.length() : eol);
            if (line.isEmpty()) continue;
            int c = line.indexOf(':');
            hs.add(new String[] {line.substring(0, c), line.substring(c + 1).strip()});
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
