// go-plugin start-up pieces: handshake line, protocol negotiation, certificate, log line format.
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  handshakeLine,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  negotiateProtocolVersion,
  startedByCli,
} from "../../provider/protocol/handshake.ts";
import { pluginNetwork, tcpPortRange } from "../../provider/protocol/network.ts";
import { createLogger, hclogLine, hclogTimestamp, logLevelFromEnv } from "../../provider/protocol/logger.ts";
import { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";

describe("handshake", () => {
  it("line: 1|6|unix|socket|grpc|unpadded base64 DER", () => {
    const cert = generateServerCertificate();
    const line = handshakeLine("unix", "/tmp/x/provider.sock", cert.der);
    const [core, app, net, addr, proto, b64, ...rest] = line.split("|");
    expect([core, app, net, addr, proto, rest]).toEqual(["1", "6", "unix", "/tmp/x/provider.sock", "grpc", []]);
    expect(b64).toMatch(/^[A-Za-z0-9+/]+$/);
    expect(Buffer.from(b64!, "base64")).toEqual(cert.der);
    expect(handshakeLine("unix", "/s", undefined)).toBe("1|6|unix|/s|grpc|");
  });

  it("line over TCP: 1|6|tcp|127.0.0.1:port|grpc|cert, as go-plugin's servers print it on Windows", () => {
    const cert = generateServerCertificate();
    const [core, app, net, addr, proto, b64, ...rest] = handshakeLine("tcp", "127.0.0.1:10001", cert.der).split("|");
    expect([core, app, net, addr, proto, rest]).toEqual(["1", "6", "tcp", "127.0.0.1:10001", "grpc", []]);
    expect(Buffer.from(b64!, "base64")).toEqual(cert.der);
    expect(handshakeLine("tcp", "127.0.0.1:54321")).toBe("1|6|tcp|127.0.0.1:54321|grpc|");
  });

  it("network: unix but on Windows, where it is TCP; IAMSESSION_PLUGIN_NETWORK=tcp asks for TCP anywhere", () => {
    expect(pluginNetwork({}, "linux")).toEqual({ network: "unix" });
    expect(pluginNetwork({}, "darwin")).toEqual({ network: "unix" });
    expect(pluginNetwork({}, "win32")).toEqual({ network: "tcp" });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "" }, "linux")).toEqual({ network: "unix" });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "tcp" }, "linux")).toEqual({ network: "tcp" });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "unix" }, "darwin")).toEqual({ network: "unix" });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "tcp" }, "win32")).toEqual({ network: "tcp" });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "unix" }, "win32")).toEqual({
      error: 'IAMSESSION_PLUGIN_NETWORK must be "tcp" on Windows (a unix socket path is a named pipe there), not "unix"',
    });
    expect(pluginNetwork({ IAMSESSION_PLUGIN_NETWORK: "TCP" }, "linux")).toEqual({
      error: 'IAMSESSION_PLUGIN_NETWORK must be "unix" or "tcp", not "TCP"',
    });
  });

  it("TCP ports: go-plugin's PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, 0 (the OS's choice) when unset", () => {
    expect(tcpPortRange({})).toEqual({ min: 0, max: 0 });
    expect(tcpPortRange({ PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "25000" })).toEqual({ min: 10000, max: 25000 });
    expect(tcpPortRange({ PLUGIN_MIN_PORT: "", PLUGIN_MAX_PORT: "" })).toEqual({ min: 0, max: 0 });
    expect(tcpPortRange({ PLUGIN_MAX_PORT: "20" })).toEqual({ min: 0, max: 20 });
    expect(tcpPortRange({ PLUGIN_MIN_PORT: "10" })).toEqual({
      error: "PLUGIN_MIN_PORT value of 10 is greater than PLUGIN_MAX_PORT value of 0",
    });
    for (const bad of ["x", "-1", "65536", "1.5", "1e3"]) {
      expect(tcpPortRange({ PLUGIN_MIN_PORT: bad, PLUGIN_MAX_PORT: "25000" })).toEqual({
        error: `PLUGIN_MIN_PORT must be a port number from 0 to 65535, not ${JSON.stringify(bad)}`,
      });
    }
    expect(tcpPortRange({ PLUGIN_MIN_PORT: "1", PLUGIN_MAX_PORT: "70000" })).toHaveProperty("error", expect.stringMatching(/^PLUGIN_MAX_PORT/));
  });

  it("negotiates 6 only", () => {
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: "5,6" })).toEqual({ version: 6 });
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: "6" })).toEqual({ version: 6 });
    expect(negotiateProtocolVersion({})).toEqual({ version: 6 });
    expect(negotiateProtocolVersion({ PLUGIN_PROTOCOL_VERSIONS: "4,5" })).toHaveProperty("error");
  });

  it("checks the magic cookie", () => {
    expect(startedByCli({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE })).toBe(true);
    expect(startedByCli({})).toBe(false);
  });

  it("certificate: localhost, CA, both key usages, valid since 30 s ago, self-signed", () => {
    const now = new Date("2030-01-02T03:04:05Z");
    const cert = new X509Certificate(generateServerCertificate("localhost", now).der);
    expect(cert.subject).toContain("CN=localhost");
    expect(cert.subjectAltName).toBe("DNS:localhost");
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"]);
    expect(new Date(cert.validFrom).getTime()).toBe(now.getTime() - 30_000);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });
});

describe("hclog lines", () => {
  it("have six fractional digits and the @ fields", () => {
    expect(hclogTimestamp(new Date("2026-01-02T03:04:05.123Z"))).toBe("2026-01-02T03:04:05.123000Z");
    const entry = JSON.parse(hclogLine("debug", "hello", "provider", { rpc: "X" }));
    expect(entry).toMatchObject({ "@level": "debug", "@message": "hello", "@module": "provider", rpc: "X" });
    expect(entry["@timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("take their level from TF_LOG_PROVIDER, else TF_LOG, as the CLIs pass them (warnings and errors when unset)", () => {
    expect(logLevelFromEnv({})).toBe("warn");
    expect(logLevelFromEnv({ TF_LOG: "off" })).toBe("warn");
    expect(logLevelFromEnv({ TF_LOG: "DEBUG" })).toBe("debug");
    expect(logLevelFromEnv({ TF_LOG: "json" })).toBe("trace");
    expect(logLevelFromEnv({ TF_LOG: "trace", TF_LOG_PROVIDER: "error" })).toBe("error");
    expect(logLevelFromEnv({ TF_LOG_PROVIDER: "info" })).toBe("info");
  });

  it("below the level are not written", () => {
    const lines: string[] = [];
    const log = createLogger("provider", (l) => lines.push(l), "info");
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.error("e");
    expect(lines.map((l) => JSON.parse(l)["@level"])).toEqual(["info", "error"]);
  });
});
