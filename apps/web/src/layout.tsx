import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from './auth';
import { Loading } from './components';

/** Signed-in pages: navigation, the user, sign-out. Sends anonymous visitors to the login page. */
export function Layout() {
  const { me, loading, signOut, can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  if (loading) {
    return (
      <div className="auth-page">
        <Loading label="Opening your session…" />
      </div>
    );
  }
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  const out = async () => {
    await signOut();
    navigate('/login', { replace: true });
  };
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">Crescendo</div>
        <nav>
          {can('leads:read') && (
            <>
              <NavLink to="/leads" data-testid="nav-leads">
                Leads
              </NavLink>
              <NavLink to="/niches" data-testid="nav-niches">
                Niches
              </NavLink>
              <NavLink to="/segments" data-testid="nav-segments">
                Segments
              </NavLink>
            </>
          )}
          {can('campaigns:read') && (
            <>
              <NavLink to="/campaigns" data-testid="nav-campaigns">
                Campaigns
              </NavLink>
              <NavLink to="/automation" data-testid="nav-automation">
                Automation
              </NavLink>
            </>
          )}
          {can('leads:read') && (
            <>
              <NavLink to="/subscribers" data-testid="nav-subscribers">
                Subscribers
              </NavLink>
              <NavLink to="/earnings" data-testid="nav-earnings">
                Earnings
              </NavLink>
            </>
          )}
          {can('settings:read') && (
            <NavLink to="/webhooks" data-testid="nav-webhooks">
              Webhooks
            </NavLink>
          )}
          {can('chat:use') && (
            <NavLink to="/chat" data-testid="nav-chat">
              AI chat
            </NavLink>
          )}
          {can('chat:use') && (
            <NavLink to="/content-ideas" data-testid="nav-content-ideas">
              Content ideas
            </NavLink>
          )}
          {can('agents:read') && (
            <NavLink to="/agents" data-testid="nav-agents">
              AI agents
            </NavLink>
          )}
          {can('agents:read') && (
            <NavLink to="/auto-replies" data-testid="nav-auto-replies">
              Auto-replies
            </NavLink>
          )}
          <NavLink to="/profile" data-testid="nav-profile">
            Profile &amp; settings
          </NavLink>
          {can('api-keys:manage') && (
            <NavLink to="/api-keys" data-testid="nav-api-keys">
              API keys
            </NavLink>
          )}
          {can('users:read') && (
            <NavLink to="/users" data-testid="nav-users">
              Users &amp; roles
            </NavLink>
          )}
        </nav>
        <div className="who">
          <div data-testid="current-user">{me.user.name}</div>
          <small className="muted">
            {me.workspace.name} · {me.workspace.role}
          </small>
          <button type="button" className="link" onClick={out} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </aside>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

/** Public pages redirect a signed-in user to the app. */
export function PublicOnly({ children }: { children: React.ReactNode }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return null;
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  return me ? <Navigate to={from} replace /> : <>{children}</>;
}
