package io.tenk.tls;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When ACME renews, and how long it waits after failures. */
class AcmeRenewalsTest {
    @Test void renewalComesWhenAThirdOfTheLifetimeIsLeft() throws Exception {
        KeyPair pair = LocalCa.newKeyPair();
        // valid from an hour ago, for 90 days: 30 days before the end, less an hour's third
        X509Certificate c = LocalCa.serverCertificate(Set.of("a.test"), pair, "test", null, null, Duration.ofDays(90));
        Duration life = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        assertEquals(c.getNotAfter().toInstant().minus(life.dividedBy(3)).truncatedTo(ChronoUnit.SECONDS),
                AcmeRenewals.renewAt(c).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test void failuresWaitLongerEachTimeUpToADay() {
        Duration minute = Duration.ofMinutes(1);
        assertEquals(minute, AcmeRenewals.backoff(minute, 0));
        assertEquals(Duration.ofMinutes(2), AcmeRenewals.backoff(minute, 1));
        assertEquals(Duration.ofMinutes(1024), AcmeRenewals.backoff(minute, 10));
        assertEquals(Duration.ofDays(1), AcmeRenewals.backoff(minute, 11));
        assertEquals(Duration.ofDays(1), AcmeRenewals.backoff(minute, Integer.MAX_VALUE));
        assertEquals("100ms", AcmeRenewals.spelled(Duration.ofMillis(100)));
        assertEquals("1.6s", AcmeRenewals.spelled(Duration.ofMillis(1600)));
        assertEquals("2m", AcmeRenewals.spelled(Duration.ofMinutes(2)));
        assertEquals("24h", AcmeRenewals.spelled(Duration.ofDays(1)));
    }
}
