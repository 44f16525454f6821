// What every generator of checked-in files is: a name and the files it makes. scripts/generate.ts writes them (or,
// with --check, lists the stale ones); the freshness tests check them the same way.

/** One generated file: its path relative to the repository root and its exact content. */
export interface GeneratedFile {
  path: string;
  content: string;
}

export interface Generator {
  /** Short and unique; `npm run generate -- NAME` runs only this generator. */
  name: string;
  /** The files as they should be. Generators listed later may read files written by earlier ones. */
  outputs(): Promise<GeneratedFile[]>;
  /**
   * Folders (repository-relative) that hold only this generator's output: a file there that is not among the
   * outputs is stale, and writing removes it.
   */
  ownedDirs?: string[];
}
