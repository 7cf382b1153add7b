package io.tenk.files;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ValidatorsTest {

    @Test
    void etagIsStrongAndFromMetadata() {
        assertEquals("\"3e8-a\"", Validators.etag(10, 1000));
        assertEquals("\"0-0\"", Validators.etag(0, 0));
        assertEquals("\"18c5f2a3b10-140000000\"", Validators.etag(5L << 30, 0x18c5f2a3b10L));
    }

    @Test
    void etagChangesWithSizeOrTime() {
        String base = Validators.etag(100, 1_700_000_000_000L);
        assertNotEquals(base, Validators.etag(101, 1_700_000_000_000L));
        assertNotEquals(base, Validators.etag(100, 1_700_000_000_001L));
    }

    @Test
    void lastModifiedIsWholeSecondsFloored() {
        assertEquals(784111777L, Validators.seconds(784111777_999L));
        assertEquals(-1L, Validators.seconds(-1L));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", Validators.lastModified(784111777_500L));
    }
}
