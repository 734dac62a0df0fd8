import type { AppContext } from '../../platform/context.ts';

export type SearchKind = 'article' | 'event' | 'resource';

/**
 * Brings the search entry of one article, event or resource in line with its row: indexed when
 * published, removed otherwise. Call it after every change of content or state.
 */
export async function refreshSearchEntry(
  _ctx: Pick<AppContext, 'db' | 'dialect'>,
  _entry: { kind: SearchKind; id: string },
): Promise<void> {
  // Implemented with the search index.
}

/** Re-indexes everything published (after seeding, or to repair the index). */
export async function rebuildSearchIndex(_ctx: Pick<AppContext, 'db' | 'dialect'>): Promise<number> {
  return 0;
}
