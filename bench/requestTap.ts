import * as http from "http";

// A pass-through HTTP proxy on 127.0.0.1 in front of an emulator, recording when each request
// arrived and its full URL (the emulators' own logs drop the query string, where Novita puts the
// instance id). The lag benchmark uses it to find when the poll that saw a VM ready was sent.

export interface TappedRequest {
  at: number;
  method: string;
  /** Path and query, as sent. */
  url: string;
}

export interface RequestTap {
  /** `target` with its origin replaced by the tap's. */
  url: string;
  seen: TappedRequest[];
  close(): Promise<void>;
}

const MAX_SEEN = 50_000;

export async function startRequestTap(target: string): Promise<RequestTap> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const seen: TappedRequest[] = [];
  const server = http.createServer((req, res) => {
    if (seen.length < MAX_SEEN) seen.push({ at: Date.now(), method: req.method ?? "GET", url: req.url ?? "/" });
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.setTimeout(60_000, () => out.destroy(new Error("tap: upstream timed out")));
    out.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "tap: upstream failed" }));
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, "")}`;
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
