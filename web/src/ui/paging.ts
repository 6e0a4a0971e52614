// Keyset pages (the API's connections): where the page shown starts or ends, as query variables.

/** The page shown: after a cursor (forward), before one (backward), or neither (the first). */
export interface Cursor {
  after?: string;
  before?: string;
}

/** A connection query's paging variables: forward from `after`, backward to `before`, else the
 * first page. */
export function pageVariables({ after, before }: Cursor, size: number) {
  return before ? { last: size, before } : { first: size, after };
}

/** The page next to the one shown, from its `pageInfo`: forward from its last row, backward from
 * its first. */
export function nextCursor(
  direction: 'next' | 'previous',
  pageInfo: { startCursor?: string | null; endCursor?: string | null },
): Cursor {
  return direction === 'next' ? { after: pageInfo.endCursor ?? undefined } : { before: pageInfo.startCursor ?? undefined };
}
