// The contract every generator under scripts/generators/ meets: it names itself and returns the files it owns
// (repository-relative paths and their full content). `npm run generate` writes them; `-- --check` compares.
export interface Generator {
  name: string;
  outputs(): Promise<Array<{ path: string; content: string }>>;
}
