// Every screen is its own chunk (React Router's `lazy`): the first load carries the shell only.
import { createBrowserRouter, type RouteObject } from 'react-router-dom';
import { Shell } from './Shell';
import { RequireSession } from './session';
import { SCREENS } from './screens';

const screenRoutes: RouteObject[] = SCREENS.map((screen) => ({
  path: screen.path === '/' ? undefined : screen.path.slice(1),
  index: screen.path === '/',
  lazy: async () => ({ Component: await screen.load() }),
}));

export const router = createBrowserRouter([
  {
    path: '/login',
    lazy: async () => ({ Component: (await import('./LoginPage')).LoginPage }),
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      ...screenRoutes,
      {
        path: 'petitions/:id',
        lazy: async () => ({ Component: (await import('../petitions/PetitionDetail')).PetitionDetail }),
      },
      { path: '*', lazy: async () => ({ Component: (await import('./NotFound')).NotFound }) },
    ],
  },
]);
