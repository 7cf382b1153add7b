package io.tenk.observe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What /readyz says through a server's life. */
class HealthTest {
    @Test void startingServingReloadsDraining() {
        Health h = new Health();
        assertFalse(h.ready());
        assertEquals("starting", h.reason());
        h.serving();
        assertTrue(h.ready());
        h.reloaded(false);
        assertFalse(h.ready());
        assertEquals("last reload failed", h.reason());
        h.reloaded(true);
        assertTrue(h.ready());
        h.draining();
        assertFalse(h.ready());
        assertEquals("draining", h.reason());
        h.serving();
        h.reloaded(true);
        assertFalse(h.ready(), "draining is for good");
    }
}
