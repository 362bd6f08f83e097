import { matchRoute, pathFor, type Route } from './routes';

describe('staged rollout routes', () => {
  it.each<Route>([{ name: 'admin-rollouts' }, { name: 'admin-rollout', rolloutId: 'financial-services' }, { name: 'admin-new-rollout' }])('goes from %j to a path and back', (route) => {
    expect(matchRoute(pathFor(route))).toEqual(route);
  });

  it('keeps planning apart from a rollout called "new"', () => {
    expect(matchRoute('/admin/rollouts/new')).toEqual({ name: 'admin-rollout', rolloutId: 'new' });
    expect(pathFor({ name: 'admin-new-rollout' })).toBe('/admin/new-rollout');
    expect(matchRoute('/admin/rollouts/tls/rings').name).toBe('not-found');
  });
});
