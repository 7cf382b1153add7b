package io.tenk.tls;

import io.tenk.handler.HostTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The swappable certificate set: SNI picks as the Host does, and a change never mixes a chain with another's key. */
class CertificateSetTest {
    private static CertificateSet.Entry entry(String name) {
        return TemporaryCertificate.entry(List.of(name));
    }

    @Test void sniPicksTheSiteElseTheDefault() {
        CertificateSet.Entry a = entry("a.test"), b = entry("b.test");
        List<CertificateSet.Entry> bySite = new ArrayList<>(Arrays.asList(a, b, null));
        CertificateSet set = new CertificateSet(new HostTable(List.of(List.of("a.test"), List.of("b.test"), List.of("c.test"))), bySite);
        assertEquals(b.alias(), set.choose("b.test", "EC"));
        assertEquals(a.alias(), set.choose("c.test", "EC"));
        assertEquals(a.alias(), set.choose(null, "EC"));
        assertNull(set.choose("a.test", "RSA"));
        assertEquals(List.of(a.alias(), b.alias()), List.of(set.aliases("EC")));
    }

    @Test void aHandshakeThatChoseBeforeAChangeGetsThePairItChose() {
        CertificateSet.Entry old = entry("a.test");
        SniKeyManager keys = new SniKeyManager(new CertificateSet(new HostTable(List.of(List.of("a.test"))), List.of(old)));
        String chosen = keys.chooseEngineServerAlias("EC", null, null);
        CertificateSet.Entry renewed = entry("a.test");
        keys.update(s -> s.with(0, renewed));
        assertSame(old.key(), keys.getPrivateKey(chosen));
        assertSame(old.leaf(), keys.getCertificateChain(chosen)[0]);
        String next = keys.chooseEngineServerAlias("EC", null, null);
        assertNotEquals(chosen, next);
        assertSame(renewed.key(), keys.getPrivateKey(next));
        assertSame(renewed.leaf(), keys.getCertificateChain(next)[0]);
        assertSame(renewed, keys.current().site(0));
    }
}
