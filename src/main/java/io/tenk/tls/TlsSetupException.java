package io.tenk.tls;

/** TLS cannot be set up as configured (a file unreadable, a key not matching its certificate); the message is for the user. */
public final class TlsSetupException extends RuntimeException {
    public TlsSetupException(String message) {
        super(message);
    }
}
