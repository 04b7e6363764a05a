import net from "node:net";

// The stand-in for what gives the app one address for "the primary": a floating IP, HAProxy over
// Patroni's `/primary` health check, PgBouncer re-pointed by the orchestrator, or a managed
// service's writer endpoint. node-pg (pg 8.x, pg-connection-string 2.x) takes one host per
// connection string — no multi-host list, no target_session_attrs — so the app follows a failover
// through such an address, not by itself. This TCP forwarder plays that part: connections go to
// the current primary; when it is pointed elsewhere (or nowhere, between the crash and the
// promotion) every open connection is cut, as HAProxy's `on-marked-down shutdown-sessions` does, so
// no session stays attached to a server that is no longer the primary.

export type Vip = { port: number; pointTo: (port: number | null) => void; close: () => Promise<void> };

export async function startVip(port: number, targetPort: number | null): Promise<Vip> {
  let target = targetPort;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (target === null) return void client.destroy();
    const upstream = net.connect(target, "127.0.0.1");
    open.add(client);
    open.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    port,
    pointTo(next) {
      target = next;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
