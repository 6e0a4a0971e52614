// The list's filters live in the address (shareable, kept by back/forward): parse and write them.
import type { PetitionFilterInput, PetitionOrdering } from '../graphql/graphql';
import { pageVariables as keysetVariables } from '../ui/paging';

export const PAGE_SIZE = 20;
export const FLAGS = ['isRepeat', 'isSkipLevel', 'isCollective', 'isAccusation'] as const;

export interface ListParams {
  filter: PetitionFilterInput;
  orderBy: PetitionOrdering;
  after?: string;
  before?: string;
}

const list = (params: URLSearchParams, name: string) => params.getAll(name).filter(Boolean);

export function parseListParams(params: URLSearchParams, myId: string): ListParams {
  const filter: PetitionFilterInput = {};
  const statuses = list(params, 'status');
  if (statuses.length) filter.statuses = statuses as PetitionFilterInput['statuses'];
  const channels = list(params, 'channel');
  if (channels.length) filter.channels = channels as PetitionFilterInput['channels'];
  const categories = list(params, 'category');
  if (categories.length) filter.categories = categories;
  if (params.get('mine')) filter.handlerId = myId;
  else if (params.get('handler')) filter.handlerId = params.get('handler');
  const due = params.get('due');
  if (due === 'overdue') filter.overdue = true;
  if (due === 'soon') filter.dueStates = ['DUE_SOON'];
  for (const flag of FLAGS) if (params.get(flag)) filter[flag] = true;
  return {
    filter,
    orderBy: (params.get('order') as PetitionOrdering) || 'REGISTERED_DESC',
    after: params.get('after') ?? undefined,
    before: params.get('before') ?? undefined,
  };
}

/** The query's paging variables: forward from `after`, backward to `before`, else the first page. */
export function pageVariables(params: ListParams) {
  return keysetVariables(params, PAGE_SIZE);
}

/** The PetitionList query's variables for the address; null when they need the officer's id
 * (`mine`) and it is not known yet (app/preload.ts, before the session answered). */
export function petitionListVariables(params: URLSearchParams, myId: string | null) {
  if (myId === null && params.get('mine')) return null;
  const parsed = parseListParams(params, myId ?? '');
  return { filter: parsed.filter, orderBy: parsed.orderBy, ...pageVariables(parsed) };
}
