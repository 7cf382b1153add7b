package io.tenk.files;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MimeTypesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            index.html      | text/html; charset=utf-8
            old.htm         | text/html; charset=utf-8
            site.css        | text/css; charset=utf-8
            app.js          | text/javascript; charset=utf-8
            mod.mjs         | text/javascript; charset=utf-8
            data.json       | application/json; charset=utf-8
            app.js.map      | application/json; charset=utf-8
            logo.svg        | image/svg+xml; charset=utf-8
            a.png           | image/png
            a.jpg           | image/jpeg
            a.jpeg          | image/jpeg
            a.gif           | image/gif
            a.webp          | image/webp
            a.avif          | image/avif
            favicon.ico     | image/x-icon
            a.bmp           | image/bmp
            a.apng          | image/apng
            a.jxl           | image/jxl
            f.woff          | font/woff
            f.woff2         | font/woff2
            f.ttf           | font/ttf
            f.otf           | font/otf
            f.eot           | application/vnd.ms-fontobject
            m.wasm          | application/wasm
            readme.txt      | text/plain; charset=utf-8
            readme.md       | text/markdown; charset=utf-8
            feed.xml        | application/xml; charset=utf-8
            doc.pdf         | application/pdf
            a.zip           | application/zip
            a.tar.gz        | application/gzip
            a.tar           | application/x-tar
            a.br            | application/x-brotli
            a.zst           | application/zstd
            v.mp4           | video/mp4
            v.webm          | video/webm
            a.ogg           | audio/ogg
            a.oga           | audio/ogg
            v.ogv           | video/ogg
            a.mp3           | audio/mpeg
            a.wav           | audio/wav
            a.flac          | audio/flac
            a.m4a           | audio/mp4
            t.csv           | text/csv; charset=utf-8
            t.tsv           | text/tab-separated-values; charset=utf-8
            c.yaml          | application/yaml; charset=utf-8
            c.yml           | application/yaml; charset=utf-8
            c.toml          | application/toml; charset=utf-8
            cal.ics         | text/calendar; charset=utf-8
            subs.vtt        | text/vtt; charset=utf-8
            site.webmanifest| application/manifest+json; charset=utf-8
            INDEX.HTML      | text/html; charset=utf-8
            Photo.JpG       | image/jpeg
            """)
    void knownTypes(String name, String type) {
        assertEquals(type, MimeTypes.forName(name.strip()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"README", "Makefile", ".profile", ".htaccess", "a.", "a.unknownext", "archive.tar.", "", "x.html.bak"})
    void unknownOrMissingExtensionIsOctetStream(String name) {
        assertEquals("application/octet-stream", MimeTypes.forName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.html", "a.css", "a.js", "a.json", "a.xml", "a.svg", "a.webmanifest", "a.txt", "a.csv"})
    void textTypesCarryUtf8(String name) {
        assertTrue(MimeTypes.forName(name).endsWith("; charset=utf-8"), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.png", "a.woff2", "a.mp4", "a.gz", "a.wasm", "a.pdf"})
    void binaryTypesDoNot(String name) {
        assertFalse(MimeTypes.forName(name).contains("charset"), name);
    }

    @org.junit.jupiter.api.Test
    void nullIsOctetStream() {
        assertEquals(MimeTypes.DEFAULT, MimeTypes.forName(null));
    }
}
