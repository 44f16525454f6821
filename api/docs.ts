// The interactive API reference at /docs: Swagger UI (Hono's @hono/swagger-ui middleware) over /openapi.json, with
// every script and stylesheet served from this server — from the swagger-ui-dist package the project installs — and
// a Content-Security-Policy that lets the page load nothing from anywhere else. It works air-gapped.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { swaggerUI } from "@hono/swagger-ui";
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { routeNotFound } from "./errors.ts";

/** Where the page's assets are served; @hono/swagger-ui appends `/swagger-ui-dist/<file>`. */
export const DOCS_ASSETS = "/docs/assets";

/** The files of swagger-ui-dist the page loads (nothing else of the package is served). */
const SWAGGER_UI_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** Same origin only; inline styles are Swagger UI's (React style attributes), its icons are data: SVGs. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const distDir = () => dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The start-up script, a file rather than inline so the CSP needs no 'unsafe-inline' for scripts. */
function initScript(documentUrl: string): string {
  const options = {
    url: documentUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    displayOperationId: true,
    displayRequestDuration: true,
    // Never ask an outside validator about the document.
    validatorUrl: "none",
  };
  return `window.addEventListener("load", function () {\n  window.ui = SwaggerUIBundle(${JSON.stringify(options, null, 2)});\n});\n`;
}

export function docsApp(documentUrl: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const cache = new Map<string, Buffer>();
  const init = initScript(documentUrl);

  app.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", DOCS_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
  });

  app.get(
    "/",
    swaggerUI({
      title: "iamsession settings API",
      url: documentUrl,
      baseUrl: DOCS_ASSETS,
      manuallySwaggerUIHtml: (asset) =>
        [
          `<div id="swagger-ui"></div>`,
          ...asset.css.map((href) => `<link rel="stylesheet" href="${href}" />`),
          ...asset.js.map((src) => `<script src="${src}"></script>`),
          `<script src="${DOCS_ASSETS}/init.js"></script>`,
        ].join("\n"),
    }),
  );

  app.get("/assets/init.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(init);
  });

  app.get("/assets/swagger-ui-dist/:file", (c) => {
    const file = c.req.param("file");
    const type = SWAGGER_UI_FILES[file];
    if (!type) throw routeNotFound(c.req.method, c.req.path);
    let body = cache.get(file);
    if (!body) {
      body = readFileSync(join(distDir(), file));
      cache.set(file, body);
    }
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(new Uint8Array(body));
  });
  return app;
}
