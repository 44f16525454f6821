// The registry-style docs under docs/ (index, resources, data sources), from the provider's own schema
// declarations, the settings model and the templates/ and examples/ files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHOICE_SETTINGS, SETTINGS, NOT_SET } from "../../schemas/settings.ts";
import type { AttributeSchema, CtyType, Schema } from "../../provider/framework/index.ts";
import { createIamsessionProvider } from "../../provider/iamsession/provider.ts";
import type { Generator } from "./generator.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

export const generator: Generator = {
  name: "docs",
  async outputs() {
    return [...renderDocs()].map(([path, content]) => ({ path, content }));
  },
};

/** Every docs page, path relative to the repository root → content. */
export function renderDocs(): Map<string, string> {
  const provider = createIamsessionProvider({});
  const pages = new Map<string, string>();
  pages.set("docs/index.md", render("templates/index.md.tmpl", provider.schema, "Schema"));
  for (const [kind, list] of [
    ["resources", provider.resources],
    ["data-sources", provider.dataSources],
  ] as const) {
    for (const item of list) {
      const short = item.typeName.replace(/^iamsession_/, "");
      pages.set(`docs/${kind}/${short}.md`, render(`templates/${kind}/${short}.md.tmpl`, item.schema, "Schema"));
    }
  }
  return pages;
}

function render(template: string, schema: Schema, heading: string): string {
  const text = read(template)
    .replaceAll("{{description}}", schema.description)
    .replaceAll("{{settings_table}}", settingsTable())
    .replaceAll("{{schema}}", schemaMarkdown(schema, heading))
    .replace(/\{\{example "([^"]+)"\}\}/g, (_m, path: string) => fence("terraform", read(path)))
    .replace(/\{\{shell "([^"]+)"\}\}/g, (_m, path: string) => fence("shell", read(path)));
  return `${text.trimEnd()}\n`;
}

function settingsTable(): string {
  const numbers = SETTINGS.map((s) => {
    const dflt = s.serviceDefault === "unlimited" ? "unlimited" : `${s.serviceDefault}`;
    return `| \`${s.name}\` | ${s.title}: ${s.description} | \`"${s.min}"\` … \`"${s.max}"\`, or \`"${NOT_SET}"\` | ${dflt} |`;
  });
  const choices = CHOICE_SETTINGS.map(
    (s) => `| \`${s.name}\` | ${s.title}: ${s.description} | ${[...s.choices, NOT_SET].map((c) => `\`"${c}"\``).join(", ")} | ${s.serviceDefault} |`,
  );
  return [...numbers, ...choices].join("\n");
}

function schemaMarkdown(schema: Schema, heading: string): string {
  const groups: [string, (a: AttributeSchema) => boolean][] = [
    ["Required", (a) => !!a.required],
    ["Optional", (a) => !!a.optional],
    ["Read-Only", (a) => !!a.computed && !a.optional && !a.required],
  ];
  const out = [`## ${heading}`];
  for (const [title, inGroup] of groups) {
    const names = Object.keys(schema.attributes)
      .filter((n) => inGroup(schema.attributes[n]!))
      .sort();
    if (names.length === 0) continue;
    out.push("", `### ${title}`, "");
    for (const n of names) {
      const a = schema.attributes[n]!;
      const flags = [typeName(a.type), ...(a.sensitive ? ["Sensitive"] : []), ...(a.deprecated ? ["Deprecated"] : [])];
      out.push(`- \`${n}\` (${flags.join(", ")}) ${a.description}`);
    }
  }
  return out.join("\n");
}

function typeName(t: CtyType): string {
  if (t === "string") return "String";
  if (t === "number") return "Number";
  if (t === "bool") return "Boolean";
  if (t === "dynamic") return "Dynamic";
  const [kind, inner] = t;
  if (kind === "object") return "Object";
  const label = { list: "List", set: "Set", map: "Map" }[kind];
  return `${label} of ${typeName(inner)}`;
}

function fence(lang: string, body: string): string {
  return `\`\`\`${lang}\n${body.trimEnd()}\n\`\`\``;
}

function read(path: string): string {
  return readFileSync(join(root, path), "utf8");
}
