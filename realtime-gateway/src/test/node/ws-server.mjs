// The bare ws fan-out server of the side-by-side benchmark (docs/benchmarks.md, SideBySideBenchmark): a set
// of sockets per account (?account=...); the publisher connects with ?role=publisher and sends
// {"account": ..., "event": {...}}; the server serializes the event once and sends it to every socket of the
// account's set. Pings every socket every 30 s and drops those that did not answer the last ping (the ws
// README's heartbeat). In-memory broadcast only: no log, no authorization, no resume. Listens on $PORT.
import { WebSocketServer, WebSocket } from "ws";

const accounts = new Map();
const server = new WebSocketServer({ port: Number(process.env.PORT ?? 0) });

server.on("connection", (socket, request) => {
  socket.isAlive = true;
  socket.on("pong", () => {
    socket.isAlive = true;
  });
  const query = new URL(request.url, "http://localhost").searchParams;
  if (query.get("role") === "publisher") {
    socket.on("message", (data) => {
      const message = JSON.parse(data);
      const members = accounts.get(message.account);
      if (members === undefined) {
        return;
      }
      const frame = Buffer.from(JSON.stringify(message.event));
      for (const member of members) {
        if (member.readyState === WebSocket.OPEN) {
          member.send(frame, { binary: false });
        }
      }
    });
    return;
  }
  const account = query.get("account");
  if (!account) {
    socket.close(1008, "account missing");
    return;
  }
  let members = accounts.get(account);
  if (members === undefined) {
    members = new Set();
    accounts.set(account, members);
  }
  members.add(socket);
  socket.on("close", () => {
    members.delete(socket);
    if (members.size === 0 && accounts.get(account) === members) {
      accounts.delete(account);
    }
  });
});

const heartbeat = setInterval(() => {
  for (const socket of server.clients) {
    if (!socket.isAlive) {
      socket.terminate();
      continue;
    }
    socket.isAlive = false;
    socket.ping();
  }
}, 30_000);
server.on("close", () => clearInterval(heartbeat));

server.on("listening", () => {
  console.log(`ready: ws on port ${server.address().port}`);
});
