package io.switchboard.gateway.bench;

import io.vertx.core.http.WebSocket;

/**
 * How a benchmark client speaks to one of the Node.js servers over a plain Vert.x WebSocket: where it connects,
 * what it answers, when it is in its account's group, which messages are events, how the publisher wraps one.
 */
interface Wire {

    /** The request URI of a subscriber of {@code account}, or of the publisher when {@code account} is null. */
    String uri(String account);

    /** The WebSocket handshake is done; call {@code ready} once the connection receives its account's events. */
    void opened(WebSocket socket, String account, Runnable ready);

    /**
     * One text message from the server: answers what the protocol asks for and calls {@code ready} as above;
     * returns the event's JSON object if the message is an event, else null.
     */
    String receive(WebSocket socket, String text, String account, Runnable ready);

    /** What the publisher sends for one {@code {"account": ..., "event": {...}}} message. */
    String publish(String message);

    /** The bare ws server: the account in the query string, every message an event. */
    Wire WS = new Wire() {
        @Override
        public String uri(String account) {
            return account == null ? "/?role=publisher" : "/?account=" + account;
        }

        @Override
        public void opened(WebSocket socket, String account, Runnable ready) {
            ready.run();
        }

        @Override
        public String receive(WebSocket socket, String text, String account, Runnable ready) {
            return text;
        }

        @Override
        public String publish(String message) {
            return message;
        }
    };
}
