// One Apollo client for the workbench: same-origin /graphql/ with the session cookie and the CSRF
// token; an expired session (NOT_AUTHENTICATED on any operation but the Session query and a
// screen's preload) sends the officer to the login.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { onError } from '@apollo/client/link/error';
import { csrfToken } from './csrf';

export function createClient(onSessionExpired: () => void) {
  const csrf = new ApolloLink((operation, forward) => {
    const token = csrfToken();
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: token ? { ...headers, 'X-CSRFToken': token } : headers,
    }));
    return forward(operation);
  });
  const expiry = onError(({ graphQLErrors, operation }) => {
    const expired = graphQLErrors?.some((e) => e.extensions?.code === 'NOT_AUTHENTICATED');
    // The Session query and a screen's preload (app/preload.ts) leave a logged-out visitor to
    // RequireSession, which sends them to the login without "expired".
    if (expired && operation.operationName !== 'Session' && !operation.getContext().preload) onSessionExpired();
  });
  return new ApolloClient({
    link: ApolloLink.from([expiry, csrf, new HttpLink({ uri: '/graphql/', credentials: 'same-origin' })]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
