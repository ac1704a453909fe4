import { Menu } from '../components/Menu.js';
import { useAppStore } from '../store/store-context.js';
import { Link, navigate, ROUTES } from './router.js';

export function AppHeader() {
  const username = useAppStore((state) => state.session.username) ?? '';
  const signOut = useAppStore((state) => state.session.signOut);
  return (
    <header className="app-header">
      <Link to={ROUTES.home} className="brand">
        <span className="brand-mark" aria-hidden="true">
          L
        </span>{' '}
        Latchkey
      </Link>
      <Menu
        label="Account menu"
        buttonContent={
          <>
            <span className="avatar" aria-hidden="true">
              {username.charAt(0).toUpperCase()}
            </span>
            <span className="menu-button-name">{username}</span>
            {/* Named "lena account menu": the visible name comes first. */}
            <span className="visually-hidden"> account menu</span>
            <span aria-hidden="true">▾</span>
          </>
        }
        items={[
          { label: 'Security settings', onSelect: () => navigate(ROUTES.security) },
          {
            label: 'Sign out',
            onSelect: () =>
              void signOut().then(
                () => navigate(ROUTES.home),
                () => navigate(ROUTES.home),
              ),
          },
        ]}
      />
    </header>
  );
}
