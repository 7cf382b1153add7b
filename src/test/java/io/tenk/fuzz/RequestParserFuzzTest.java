package io.tenk.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tenk.http.Limits;
import io.tenk.http.RequestParser;

import java.nio.ByteBuffer;

class RequestParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] data) {
        RequestParser p = new RequestParser(new Limits(256, 1024, 20));
        ByteBuffer in = ByteBuffer.wrap(data);
        for (int i = 0; i < 50; i++) {
            RequestParser.Result r = p.parse(in);
            if (r == RequestParser.Result.ERROR) { p.error(); return; }
            if (r == RequestParser.Result.NEED_MORE) return;
            p.request();
        }
    }
}
