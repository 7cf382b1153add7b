package io.tenk.observe;

/**
 * Whether the server should get traffic, as a load balancer asks ({@code /readyz}): not while it
 * starts, not once it drains (SIGTERM or stop: it finishes what it has and takes nothing new), and
 * not after a reload was refused, until one succeeds (the running config is not the one on disk,
 * which an operator should see before more traffic is sent). Being alive ({@code /healthz}) is
 * answering at all.
 */
public final class Health {

    /** Where the server is in its life. */
    public enum State { STARTING, SERVING, DRAINING }

    private volatile State state = State.STARTING;
    private volatile boolean reloadFailed; // the last reload was refused

    /** Every listener is open. */
    public void serving() {
        if (state == State.STARTING) state = State.SERVING;
    }

    /** The server stops: from now on it is not ready, for good. */
    public void draining() { state = State.DRAINING; }

    /** A reload was applied ({@code ok}) or refused. */
    public void reloaded(boolean ok) { reloadFailed = !ok; }

    public State state() { return state; }

    public boolean ready() { return state == State.SERVING && !reloadFailed; }

    /** Why the server is not ready, in a few words; "ready" when it is. */
    public String reason() {
        return switch (state) {
            case STARTING -> "starting";
            case DRAINING -> "draining";
            case SERVING -> reloadFailed ? "last reload failed" : "ready";
        };
    }
}
