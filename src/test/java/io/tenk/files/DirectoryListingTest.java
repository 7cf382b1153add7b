package io.tenk.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryListingTest {
    @TempDir Path root;

    @Test void namesWithAColonLinkRelatively() {
        DirectoryListing l = new DirectoryListing("/d/", List.of(
                new DirectoryListing.Entry("https:evil.example", true, -1, 0),
                new DirectoryListing.Entry("javascript:alert(1)", false, 3, 0),
                new DirectoryListing.Entry("plain.txt", false, 3, 0)), 0);
        assertEquals("{\"path\":\"/d/\",\"entries\":["
                + "{\"name\":\"https:evil.example\",\"type\":\"directory\",\"modified\":\"1970-01-01T00:00:00Z\",\"href\":\"./https:evil.example/\"},"
                + "{\"name\":\"javascript:alert(1)\",\"type\":\"file\",\"size\":3,\"modified\":\"1970-01-01T00:00:00Z\",\"href\":\"./javascript:alert(1)\"},"
                + "{\"name\":\"plain.txt\",\"type\":\"file\",\"size\":3,\"modified\":\"1970-01-01T00:00:00Z\",\"href\":\"plain.txt\"}"
                + "],\"truncated\":false,\"omitted\":0}\n", l.toJson());
        String html = l.toHtml();
        assertTrue(html.contains("<td class=\"name\"><a href=\"./javascript:alert(1)\"><span class=\"i i-file\" aria-hidden=\"true\"></span>javascript:alert(1)</a></td>"), html);
        assertTrue(html.contains("<td class=\"name\"><a href=\"./https:evil.example/\"><span class=\"i i-dir\" aria-hidden=\"true\"></span>https:evil.example/</a></td>"), html);
        assertTrue(html.contains("<a href=\"plain.txt\">"), html);
        assertFalse(html.contains("href=\"javascript:") || html.contains("href=\"https:"), html);
    }

    @Test void aHugeDirectoryShowsTheFirstNamesAndCountsTheRest() throws IOException {
        int extra = 7;
        for (int i = 0; i < DirectoryListing.MAX_ENTRIES + extra; i++) Files.createFile(root.resolve(String.format("f%05d", i)));
        Files.createDirectory(root.resolve("zz-dir"));
        PathResolver resolver = new PathResolver(root);
        DirectoryListing l = DirectoryListing.of(resolver, assertInstanceOf(Resolution.Directory.class, resolver.resolve("/")));
        assertNotNull(l);
        assertEquals(DirectoryListing.MAX_ENTRIES, l.entries().size());
        assertEquals(extra + 1, l.omitted());
        // the first names in name order, directories first among them (zz-dir comes last by name: left out)
        assertEquals("f00000", l.entries().getFirst().name());
        assertEquals(String.format("f%05d", DirectoryListing.MAX_ENTRIES - 1), l.entries().getLast().name());
        assertTrue(l.toHtml().contains("<p class=\"count\">5000 entries; 8 more not shown (a listing shows at most 5000)</p>"));
        assertTrue(l.toJson().endsWith("],\"truncated\":true,\"omitted\":8}\n"));
    }

    @Test void thePolicyAllowsExactlyThePagesInlineStyleAndScript() {
        String csp = DirectoryListing.CONTENT_SECURITY_POLICY;
        assertTrue(csp.startsWith("default-src 'none'; style-src 'sha256-"), csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("nonce"), csp);
        String html = new DirectoryListing("/", List.of(), 0).toHtml();
        String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
        String script = html.substring(html.indexOf("<script>") + 8, html.indexOf("</script>"));
        assertTrue(csp.contains("style-src '" + sha256(style) + "'"), csp);
        assertTrue(csp.contains("script-src '" + sha256(script) + "'"), csp);
    }

    static String sha256(String s) {
        try {
            return "sha256-" + java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
