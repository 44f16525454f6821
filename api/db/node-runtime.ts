// The Node versions that cannot run the database layer. better-sqlite3 12 wraps each statement in node::ObjectWrap, a
// header-only class compiled into the addon. Node 24.19.0 made its destructor remove an environment cleanup hook, and
// until 24.22.1 the runtime aborts the process there (CHECK env != nullptr in RemoveEnvironmentCleanupHook) when V8
// frees a statement in a GC task, where no context is entered (nodejs/node#65446). Under load that is a matter of
// seconds, and every client of the API sees its connection reset: refuse such a runtime before anything is opened.
export const ABORTING_NODE_24 = { from: "24.19.0", fixedIn: "24.22.1" } as const;

function parse(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, "").split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  return [major, minor, patch];
}

function compare(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Why this Node cannot run the database layer, or undefined when it can. */
export function unsupportedNodeReason(version: string = process.versions.node): string | undefined {
  const { from, fixedIn } = ABORTING_NODE_24;
  if (compare(version, from) < 0 || compare(version, fixedIn) >= 0) return undefined;
  return (
    `Node ${version.replace(/^v/, "")} aborts the process when it frees a better-sqlite3 statement ` +
    `(Node ${from} up to ${fixedIn} excluded, nodejs/node#65446): run iamsession on Node 20.19+ or ${fixedIn}+`
  );
}

/** Throws (before better-sqlite3 is loaded) on a Node that would abort the process later, at a random moment. */
export function assertSupportedNode(version?: string): void {
  const reason = unsupportedNodeReason(version);
  if (reason) throw new Error(reason);
}
