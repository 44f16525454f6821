// If-Match, as the store's compare-and-set sees it. Its own module so the store and the trusted profiles' store
// (and the middleware that parses the header) share it without importing each other.

/** If-Match, parsed: `*` (any current version) or a list of entity tags. */
export type Precondition = { any: true } | { any: false; tags: string[] };

/** Whether the precondition holds for a row whose current entity tag is `currentTag`. Weak tags never get here. */
export function preconditionHolds(precondition: Precondition, currentTag: string): boolean {
  return precondition.any || precondition.tags.includes(currentTag);
}
