// The Socket.IO fan-out server of the side-by-side benchmark (docs/benchmarks.md, SideBySideBenchmark):
// one room per account, filled by the handshake's auth payload ({"account": "..."}); the publisher connects
// with {"publisher": true} and emits "publish" {account, event}; the server emits "event" with the event to
// the account's room. In-memory broadcast only: no log, no authorization, no resume. Listens on $PORT.
import { createServer } from "node:http";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { transports: ["websocket"], serveClient: false });

io.on("connection", (socket) => {
  const auth = socket.handshake.auth ?? {};
  if (auth.publisher === true) {
    socket.on("publish", (message) => io.to(message.account).emit("event", message.event));
  } else if (typeof auth.account === "string") {
    socket.join(auth.account);
  } else {
    socket.disconnect(true);
  }
});

http.listen(Number(process.env.PORT ?? 0), () => {
  console.log(`ready: socket.io on port ${http.address().port}`);
});
