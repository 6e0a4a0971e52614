// A full page load of a screen sends the screen's one query at once, beside the Session query,
// instead of after the session answered, the shell rendered and the screen's chunk mounted (on
// the petitions list that wait was about 400 ms of a 1 s load). The screen then reads the answer
// from the cache (`usePreloaded`), so it is still one request.
//
// The preload is marked (`context.preload`): when the session has ended, its NOT_AUTHENTICATED
// is not the expired-session redirect (the Session query decides where a logged-out visitor goes,
// as without a preload), and nothing of it is cached.
import { useEffect, useState } from 'react';
import type { ApolloClient, DocumentNode, OperationVariables, WatchQueryFetchPolicy } from '@apollo/client';
import { PetitionDetailDocument, PetitionListDocument } from '../graphql/graphql';
import { petitionListVariables } from '../petitions/listParams';

interface Preload {
  document: DocumentNode;
  /** The variables the screen will ask with, for this address; null: it cannot be told yet. */
  variables: (url: URL) => OperationVariables | null;
}

// By path: the screens whose first query depends only on the address.
const PRELOADS: [RegExp, Preload][] = [
  [/^\/petitions$/, { document: PetitionListDocument, variables: (url) => petitionListVariables(url.searchParams, null) }],
  [
    /^\/petitions\/(?!new$)([^/]+)$/,
    { document: PetitionDetailDocument, variables: (url) => ({ id: decodeURIComponent(url.pathname.split('/')[2]) }) },
  ],
];

let pending: { document: DocumentNode; variables: string } | null = null;

/** Send the query of the screen at `url`, if it has one to preload; errors are left to the screen. */
export function preloadScreen(client: ApolloClient<unknown>, url: URL): void {
  const preload = PRELOADS.find(([path]) => path.test(url.pathname))?.[1];
  const variables = preload?.variables(url);
  if (!preload || !variables) return;
  pending = { document: preload.document, variables: JSON.stringify(variables) };
  client
    .query({ query: preload.document, variables, context: { preload: true }, fetchPolicy: 'network-only' })
    .catch(() => undefined);
}

/** A screen's fetch policy for its query: read the preloaded answer (in flight or cached) once,
 * on the screen's first mount after the load, then as usual (cache and network). */
export function usePreloaded(document: DocumentNode, variables: OperationVariables) {
  const [policy] = useState(() =>
    pending?.document === document && pending.variables === JSON.stringify(variables)
      ? { fetchPolicy: 'cache-first' as WatchQueryFetchPolicy, nextFetchPolicy: () => 'cache-and-network' as WatchQueryFetchPolicy }
      : {},
  );
  useEffect(() => {
    if (pending?.document === document) pending = null;
  }, [document]);
  return policy;
}
