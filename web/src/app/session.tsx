import { useQuery } from '@apollo/client';
import { Result, Spin } from 'antd';
import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { SessionDocument, type SessionQuery } from '../graphql/graphql';

export type Officer = NonNullable<SessionQuery['me']>;
export type CurrentOffice = SessionQuery['currentOffice'];

interface Session {
  officer: Officer;
  office: CurrentOffice;
}

const SessionContext = createContext<Session | null>(null);

/** The logged-in officer and the office of this host; only inside <RequireSession>. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <RequireSession>');
  return session;
}

export function hasRole(officer: Officer, ...roles: Officer['roles']): boolean {
  return officer.roles.some((r) => r === 'ADMIN' || roles.includes(r));
}

/** Renders its children for a logged-in officer; anyone else goes to the login page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { data, loading, error } = useQuery(SessionDocument, { fetchPolicy: 'cache-first' });
  const location = useLocation();
  if (loading && !data) return <Spin fullscreen tip="加载中" />;
  if (error && !data) return <Result status="error" title="无法连接服务器" subTitle={error.message} />;
  if (!data?.me) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return (
    <SessionContext.Provider value={{ officer: data.me, office: data.currentOffice }}>
      {children}
    </SessionContext.Provider>
  );
}
