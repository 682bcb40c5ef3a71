package io.switchboard.gateway.session;

/**
 * One subscribe whose check is still in flight (a conversation's access, a cursor ahead of the instance). Each
 * subscribe has its own, so an unsubscribe cancels exactly the one before it even when the client reuses the id
 * at once. Router thread only.
 */
public final class PendingSubscribe {

    private final String id;
    private boolean cancelled;

    public PendingSubscribe(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    boolean cancelled() {
        return cancelled;
    }

    void cancel() {
        cancelled = true;
    }
}
