// The provider's API client against a real local HTTP server that misbehaves on purpose.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, ConnectionError, IamsessionClient, UncertainWriteError } from "../../client/index.ts";
import { closedPort } from "../helpers/e2e.ts";

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

type Seen = { auth?: string; ifMatch?: string; idempotencyKey?: string };

/** Answers in turn (the last one repeats); `delayMs` holds an answer back (longer than the client's timeout: lost). */
function serve(
  answers: { status: number; body: unknown; delayMs?: number; headers?: Record<string, string> }[],
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    seen.push({
      auth: req.headers.authorization,
      ifMatch: req.headers["if-match"] as string | undefined,
      idempotencyKey: req.headers["idempotency-key"] as string | undefined,
    });
    const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    const send = () => {
      if (!res.destroyed) res.writeHead(a.status, { "content-type": "application/json", ...a.headers }).end(JSON.stringify(a.body));
    };
    if (a.delayMs) setTimeout(send, a.delayMs);
    else send();
  });
  return new Promise((resolve) =>
    server!.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen })),
  );
}

const ok = { account_id: "a", entity_tag: "t1", session_expiration_in_seconds: "NOT_SET" };
const client = (endpoint: string, maxRetries = 3) =>
  new IamsessionClient({ endpoint, token: "iams_secret", timeoutMs: 2000, maxRetries, retryBaseMs: 5 });

describe("IamsessionClient", () => {
  it("retries 5xx answers with backoff, then succeeds", async () => {
    const { url, seen } = await serve([{ status: 503, body: {} }, { status: 502, body: {} }, { status: 200, body: ok }]);
    await expect(client(url).getAccountSettings("a")).resolves.toMatchObject({ entity_tag: "t1" });
    expect(seen).toHaveLength(3);
    expect(seen[0]!.auth).toBe("Bearer iams_secret");
  });

  it("logs each request and retry with method, URL and status, never the token", async () => {
    const { url } = await serve([{ status: 503, body: {} }, { status: 200, body: ok }]);
    const lines: string[] = [];
    const log = { debug: (m: string, f?: object) => lines.push(`debug ${m} ${JSON.stringify(f)}`), warn: (m: string, f?: object) => lines.push(`warn ${m} ${JSON.stringify(f)}`) };
    await new IamsessionClient({ endpoint: url, token: "iams_secret", timeoutMs: 2000, maxRetries: 2, retryBaseMs: 5, log }).getAccountSettings("a");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^debug iamsession API request .*"method":"GET".*"status":503/);
    expect(lines[1]).toMatch(/^warn .*retrying.*"status":503/);
    expect(lines[2]).toMatch(/"status":200/);
    expect(lines[2]).toContain(`${url}/v1/accounts/a/settings/identity`);
    expect(lines.join("\n")).not.toContain("iams_secret");
  });

  it("gives up after max_retries and reports the last 5xx", async () => {
    const { url, seen } = await serve([{ status: 500, body: { errors: [{ code: "internal", message: "boom" }] } }]);
    await expect(client(url, 2).getAccountSettings("a")).rejects.toMatchObject({ status: 500, code: "internal" });
    expect(seen).toHaveLength(3);
  });

  it("does not retry 4xx, and keeps the API's error code and message", async () => {
    const { url, seen } = await serve([{ status: 412, body: { errors: [{ code: "precondition_failed", message: "stale" }] } }]);
    const err = await client(url).putAccountSettings("a", "t0", { max_sessions_per_identity: "3" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 412, code: "precondition_failed" });
    expect(seen).toEqual([{ auth: "Bearer iams_secret", ifMatch: '"t0"' }]);
  });

  it("does not follow a redirect: one request, an error saying where it points (without its query)", async () => {
    const { url, seen } = await serve([{ status: 307, body: {}, headers: { location: "https://elsewhere.example/v1/x?sig=abc" } }]);
    const err = await client(url).putAccountSettings("a", "t0", { max_sessions_per_identity: "3" }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 307, code: "redirect" });
    expect(err.message).toContain("a redirect to https://elsewhere.example/v1/x, which the client does not follow");
    expect(err.message).not.toContain("sig=abc");
    expect(seen).toHaveLength(1);
  });

  it("reuses its connection for the next request (keep-alive)", async () => {
    const { url } = await serve([{ status: 200, body: ok }]);
    const ports = new Set<number>();
    server!.on("request", (req) => ports.add(req.socket.remotePort!));
    const c = client(url);
    for (let i = 0; i < 3; i++) await c.getAccountSettings("a");
    expect(ports.size).toBe(1);
  });

  it("names the endpoint when nothing listens there, without the token", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const err = await client(endpoint, 1).getAccountSettings("a").catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toContain(endpoint);
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.message).not.toContain("iams_secret");
  });
});

describe("what the client retries (issue #12)", () => {
  const apiError = (status: number, code: string) => ({ status, body: { errors: [{ code, message: code }] } });
  const profile = { profile_id: "Profile-1", account_id: "a", name: "p", session_duration_in_seconds: "NOT_SET", entity_tag: "t1" };

  it("a PUT that got a 5xx is not sent again: UncertainWriteError, one attempt", async () => {
    const { url, seen } = await serve([apiError(500, "internal_error"), { status: 200, body: ok }]);
    const err = await client(url).putAccountSettings("a", "t0", { max_sessions_per_identity: "3" }).catch((e) => e);
    expect(err).toBeInstanceOf(UncertainWriteError);
    expect(seen).toHaveLength(1);
  });

  it("a PUT whose answer does not come in time is not sent again", async () => {
    const { url, seen } = await serve([{ status: 200, body: ok, delayMs: 1500 }]);
    const c = new IamsessionClient({ endpoint: url, token: "iams_secret", timeoutMs: 200, maxRetries: 3, retryBaseMs: 5 });
    const err = await c.deleteTrustedProfile("a", "Profile-1", "t1").catch((e) => e);
    expect(err).toBeInstanceOf(UncertainWriteError);
    expect(err.message).toContain("timed out");
    expect(seen).toHaveLength(1);
  });

  it("a PUT the API refused before writing (503 database_busy, 429) is sent again", async () => {
    const { url, seen } = await serve([apiError(503, "database_busy"), apiError(429, "too_many_requests"), { status: 200, body: ok }]);
    await expect(client(url).putAccountSettings("a", "t0", { max_sessions_per_identity: "3" })).resolves.toMatchObject({ entity_tag: "t1" });
    expect(seen).toHaveLength(3);
  });

  it("a PUT to an endpoint that refuses connections is retried, and the error says nothing was sent", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const err = await client(endpoint, 2).putAccountSettings("a", "t0", { max_sessions_per_identity: "3" }).catch((e) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ attempts: 3, certainlyNotSent: true });
  });

  it("a POST is retried after a 5xx and a lost answer, with the same Idempotency-Key every time", async () => {
    const { url, seen } = await serve([
      apiError(502, "error"),
      { status: 201, body: profile, delayMs: 1500 },
      apiError(409, "idempotency_key_in_use"),
      { status: 201, body: profile },
    ]);
    const c = new IamsessionClient({ endpoint: url, token: "iams_secret", timeoutMs: 400, maxRetries: 4, retryBaseMs: 5 });
    await expect(c.createTrustedProfile("a", { name: "p" })).resolves.toMatchObject({ profile_id: "Profile-1" });
    expect(seen).toHaveLength(4);
    const keys = new Set(seen.map((s) => s.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^"[0-9a-f-]{36}"$/);
  });

  it("two creates use two keys", async () => {
    const { url, seen } = await serve([{ status: 201, body: profile }]);
    await client(url).createTrustedProfile("a", { name: "p" });
    await client(url).createTrustedProfile("a", { name: "p" });
    expect(seen[0]!.idempotencyKey).not.toBe(seen[1]!.idempotencyKey);
  });
});
