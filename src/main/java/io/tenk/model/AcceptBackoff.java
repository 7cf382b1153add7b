package io.tenk.model;

import io.tenk.observe.ErrorLog;

import java.io.IOException;

/**
 * What every accepting thread does when {@code accept} fails (typically EMFILE or ENFILE: out of
 * descriptors): keep serving the connections it has, stop accepting for {@link #PAUSE_NANOS},
 * and say so at most once a second. One per listening socket: threads that accept from one
 * socket (leader/follower) share it, so the line goes out once a second whatever their number.
 */
public final class AcceptBackoff {
    /** How long accepting pauses after a failure. */
    public static final long PAUSE_NANOS = 100_000_000L;
    private static final long LOG_EVERY_NANOS = 1_000_000_000L;

    private final ErrorLog log;
    private long lastLogged;
    private boolean logged;
    private long pausedUntil;
    private boolean paused;

    public AcceptBackoff(ErrorLog log) { this.log = log; }

    /** An accept failed at {@code now}: pause, and log unless a line went out within the last second. */
    public synchronized void failed(IOException e, long now) {
        if (!logged || now - lastLogged > LOG_EVERY_NANOS) {
            logged = true;
            lastLogged = now;
            log.warn("accept failed, pausing new connections briefly: " + ErrorLog.describe(e));
        }
        paused = true;
        pausedUntil = now + PAUSE_NANOS;
    }

    /** Whether accepting is paused at {@code now}; a pause that has run out ends here. */
    public synchronized boolean paused(long now) {
        if (paused && now - pausedUntil >= 0) paused = false;
        return paused;
    }
}
