package io.switchboard.gateway.bench;

import io.vertx.core.http.WebSocket;

/**
 * The Socket.IO client's side of the protocol (Engine.IO v4, Socket.IO v5) on a plain WebSocket, as far as the
 * benchmark needs it: connect straight to the WebSocket transport; the server opens with {@code 0{"sid":...}};
 * the client joins the main namespace with {@code 40{"account":"..."}} (the auth payload; the publisher sends
 * {@code 40{"publisher":true}}) and is in its account's room when the server answers {@code 40{"sid":...}};
 * events arrive as {@code 42["event",{...}]}; the server's ping {@code 2} is answered with {@code 3} (else it
 * drops the connection after pingInterval + pingTimeout). No polling, no binary packets, no acknowledgements.
 */
final class SocketIoWire implements Wire {

    static final SocketIoWire INSTANCE = new SocketIoWire();

    private static final String EVENT = "42[\"event\",";

    private SocketIoWire() {
    }

    @Override
    public String uri(String account) {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public void opened(WebSocket socket, String account, Runnable ready) {
        // the server's open packet comes next
    }

    @Override
    public String receive(WebSocket socket, String text, String account, Runnable ready) {
        if (text.startsWith(EVENT)) {
            return text.substring(EVENT.length(), text.length() - 1);
        }
        if (text.equals("2")) {
            socket.writeTextMessage("3");
        } else if (text.startsWith("0{")) {
            socket.writeTextMessage(account == null ? "40{\"publisher\":true}" : "40{\"account\":\"" + account + "\"}");
        } else if (text.startsWith("40")) {
            ready.run();
        } else if (text.startsWith("44") || text.startsWith("41") || text.equals("1")) {
            // connect error, disconnect from the namespace, or Engine.IO close
            socket.close();
        }
        return null;
    }

    @Override
    public String publish(String message) {
        return "42[\"publish\"," + message + "]";
    }
}
