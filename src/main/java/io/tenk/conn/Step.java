package io.tenk.conn;

/** What a driver (an event loop, or a thread) should do next with a connection, as its {@link Session} says. */
public enum Step {
    /** Wait until the transport can be read, then call {@link Session#onReadable}. */
    READ,
    /** Wait until the transport can take more, then call {@link Session#onWritable}. */
    WRITE,
    /**
     * Only from {@link Transport#awaits}: the transport's slow work (a TLS handshake's key exchange
     * and signatures) runs on another thread ({@link Transport#offload}). Leave the connection alone
     * until that work has run, then call the session with the step it asked for.
     */
    TASK,
    /**
     * The session is over: forget the connection and close the session ({@link Session#close}),
     * which closes its transport; the caller chooses when, at once or once it has stopped watching
     * the socket.
     */
    CLOSE
}
