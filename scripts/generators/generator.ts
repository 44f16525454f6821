// What every generator of checked-in files provides: `npm run generate` writes its outputs, `-- --check` compares them.
export interface Generator {
  name: string;
  /** Each file it owns: path relative to the repository root, and the exact content it must have. */
  outputs(): Promise<Array<{ path: string; content: string }>>;
}
