// Where the plugin listens, as go-plugin's own servers decide it (server.go, serverListener): a unix socket
// everywhere but Windows, TCP on 127.0.0.1 there. On Windows Node opens a socket path as a named pipe, which is not
// the AF_UNIX socket the CLI dials, so TCP is the only address both sides agree on.
import type { PluginNetwork } from "./handshake.ts";

/**
 * This provider's own diagnostic switch (not go-plugin's): `tcp` makes it listen as on Windows on any OS, so the
 * TCP path runs with the real CLIs on Linux (the tests do); `unix` is the default everywhere but Windows.
 */
export const NETWORK_VARIABLE = "IAMSESSION_PLUGIN_NETWORK";

/** The network to listen on, or an error message naming the variable and its values. */
export function pluginNetwork(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): { network: PluginNetwork } | { error: string } {
  const asked = env[NETWORK_VARIABLE];
  if (asked === undefined || asked === "") return { network: platform === "win32" ? "tcp" : "unix" };
  if (asked === "tcp") return { network: "tcp" };
  if (asked === "unix" && platform !== "win32") return { network: "unix" };
  return {
    error:
      platform === "win32"
        ? `${NETWORK_VARIABLE} must be "tcp" on Windows (a unix socket path is a named pipe there), not ${JSON.stringify(asked)}`
        : `${NETWORK_VARIABLE} must be "unix" or "tcp", not ${JSON.stringify(asked)}`,
  };
}

/** One of go-plugin's PLUGIN_MIN_PORT / PLUGIN_MAX_PORT: unset or empty is 0, as in go-plugin. */
function port(env: NodeJS.ProcessEnv, name: string): number | string {
  const value = env[name];
  if (value === undefined || value === "") return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) return `${name} must be a port number from 0 to 65535, not ${JSON.stringify(value)}`;
  return n;
}

/**
 * The ports to try, in order, as go-plugin's serverListener_tcp does: PLUGIN_MIN_PORT to PLUGIN_MAX_PORT (the CLIs
 * set 10000 and 25000), the first that binds wins; both unset means port 0, the OS's choice. Like go-plugin, a
 * minimum above the maximum is an error (so is a minimum alone).
 */
export function tcpPortRange(env: NodeJS.ProcessEnv): { min: number; max: number } | { error: string } {
  const min = port(env, "PLUGIN_MIN_PORT");
  if (typeof min === "string") return { error: min };
  const max = port(env, "PLUGIN_MAX_PORT");
  if (typeof max === "string") return { error: max };
  if (min > max) return { error: `PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}` };
  return { min, max };
}
