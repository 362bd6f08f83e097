// A tiny History API router: the current location as React state, navigate() for code, <Link> for
// people (a real <a href>, so open-in-new-tab and the keyboard work as everywhere else).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';
import { matchRoute, pathFor, type Route } from './routes';

interface LocationState {
  readonly pathname: string;
  readonly search: string;
}

interface RouterValue {
  readonly location: LocationState;
  readonly route: Route;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterValue | undefined>(undefined);

const current = (): LocationState => ({ pathname: window.location.pathname, search: window.location.search });

let navigations = 0;
/** Whether the page changed in the browser since it loaded (a full load starts at the top, skip link first). */
export const navigatedInApp = (): boolean => navigations > 0;

export const RouterProvider = ({ children }: { children: ReactNode }) => {
  const [location, setLocation] = useState<LocationState>(current);
  useEffect(() => {
    const onPop = () => {
      navigations++;
      setLocation(current());
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    navigations++;
    if (options.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    setLocation(current());
  }, []);
  const value = useMemo(() => ({ location, route: matchRoute(location.pathname), navigate }), [location, navigate]);
  return <RouterContext.Provider value={value}>{children}</RouterContext.Provider>;
};

export const useRouter = (): RouterValue => {
  const value = useContext(RouterContext);
  if (!value) throw new Error('useRouter outside RouterProvider');
  return value;
};

/** One query parameter of the current location, and a setter that keeps the rest of the URL. */
export const useSearchParam = (name: string): [string | null, (value: string | null) => void] => {
  const { location, navigate } = useRouter();
  const value = new URLSearchParams(location.search).get(name);
  const set = useCallback(
    (next: string | null) => {
      const params = new URLSearchParams(window.location.search);
      if (next === null || next === '') params.delete(name);
      else params.set(name, next);
      const query = params.toString();
      navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, { replace: true });
    },
    [name, navigate],
  );
  return [value, set];
};

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: Route | string };

export const Link = ({ to, onClick, children, ...rest }: LinkProps) => {
  const { navigate, location } = useRouter();
  const href = typeof to === 'string' ? to : pathFor(to);
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || rest.target) return;
    event.preventDefault();
    navigate(href);
  };
  const currentPage = location.pathname === href.split('?')[0] ? 'page' : undefined;
  return (
    <a href={href} onClick={handle} aria-current={currentPage} {...rest}>
      {children}
    </a>
  );
};
