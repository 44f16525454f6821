// go-plugin's start-up contract, as the Terraform and OpenTofu CLIs implement it on their side.

export const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
export const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/** go-plugin's own protocol version: the first field of the handshake line. */
export const CORE_PROTOCOL_VERSION = 1;
/** The only plugin protocol (tfplugin6) this provider speaks. */
export const APP_PROTOCOL_VERSION = 6;

/** One line, like every start-up failure: the CLIs show a plugin's stderr lines one by one. */
export const NOT_A_COMMAND_MESSAGE =
  "This binary is a plugin (a Terraform/OpenTofu provider), not a command: run it through terraform or tofu, " +
  "which start it themselves when a configuration uses the provider.\n";

export function startedByCli(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * Picks protocol 6 from the versions the CLI accepts (`PLUGIN_PROTOCOL_VERSIONS`, e.g. "5,6"). Without the
 * variable go-plugin falls back to the plugin's default, which is 6 here. Returns an error message when the CLI
 * does not accept 6 (a CLI older than Terraform 1.0 / one asking for protocol 5 only).
 */
export function negotiateProtocolVersion(env: NodeJS.ProcessEnv): { version: number } | { error: string } {
  const offered = env.PLUGIN_PROTOCOL_VERSIONS;
  if (offered === undefined || offered.trim() === "") return { version: APP_PROTOCOL_VERSION };
  const versions = offered.split(",").map((v) => Number(v.trim()));
  if (versions.includes(APP_PROTOCOL_VERSION)) return { version: APP_PROTOCOL_VERSION };
  return {
    error:
      `This provider speaks plugin protocol ${APP_PROTOCOL_VERSION} only, but the CLI offered ` +
      `${JSON.stringify(offered)}. Use Terraform >= 1.0 or OpenTofu.\n`,
  };
}

/** The two kinds of address go-plugin's client dials: a unix socket path, or `host:port` over TCP (Windows). */
export type PluginNetwork = "unix" | "tcp";

/**
 * The single line the CLI reads from stdout: `1|6|unix|<socket>|grpc|<cert>` or `1|6|tcp|127.0.0.1:<port>|grpc|<cert>`.
 * The certificate is DER in unpadded standard base64 (padding breaks the CLI's parser). Without TLS the field is
 * empty, as go-plugin writes it.
 */
export function handshakeLine(network: PluginNetwork, address: string, certDer?: Uint8Array): string {
  const cert = certDer ? Buffer.from(certDer).toString("base64").replace(/=+$/, "") : "";
  return `${CORE_PROTOCOL_VERSION}|${APP_PROTOCOL_VERSION}|${network}|${address}|grpc|${cert}`;
}
