// The web console (issue #16), served by the API under /console: a few static files from console/ (no framework,
// no build step, nothing from another origin) and the settings model they show, taken from schemas/.
import { readFileSync } from "node:fs";
import { Hono, type MiddlewareHandler } from "hono";
import { CHOICE_SETTINGS, NOT_SET, SETTINGS } from "../../schemas/settings.ts";
import type { AppEnv } from "../context.ts";

const DIR = new URL("../../console/", import.meta.url);

/** The console's pages may load only their own files and talk only to this origin; no page may frame them. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const FILES: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "console.js": "text/javascript; charset=utf-8",
  "console.css": "text/css; charset=utf-8",
  "favicon.svg": "image/svg+xml",
};

/** The rest (X-Frame-Options DENY, nosniff, no referrer, COOP/CORP, no-store) is every answer's (api/headers.ts). */
const headers: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header("Content-Security-Policy", CONSOLE_CSP);
};

/** What the settings page shows about each setting: its title, unit, range, service default and choices. */
export function consoleModel() {
  return {
    not_set: NOT_SET,
    settings: [
      ...SETTINGS.map((s) => ({ kind: "number", name: s.name, title: s.title, description: s.description, unit: s.unit, min: s.min, max: s.max, service_default: s.serviceDefault })),
      ...CHOICE_SETTINGS.map((s) => ({ kind: "choice", name: s.name, title: s.title, description: s.description, choices: s.choices, choice_descriptions: s.choiceDescriptions, service_default: s.serviceDefault, decided_by: s.decidedBy })),
    ],
  };
}

/** Mounted at the root: /console (redirects to /console/), /console/ and its files. Files are read once, at first use. */
export function consoleApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cache = new Map<string, string>();
  const file = (name: string) => {
    let body = cache.get(name);
    if (body === undefined) cache.set(name, (body = readFileSync(new URL(name, DIR), "utf8")));
    return body;
  };
  app.use("/console/*", headers);
  app.get("/console", (c) => c.redirect("/console/", 308));
  app.get("/console/", (c) => c.body(file("index.html"), 200, { "Content-Type": FILES["index.html"]! }));
  app.get("/console/model.json", (c) => c.json(consoleModel(), 200));
  app.get("/console/:file", (c) => {
    const name = c.req.param("file");
    const type = FILES[name];
    if (!type || name === "index.html") return c.notFound();
    return c.body(file(name), 200, { "Content-Type": type });
  });
  return app;
}
