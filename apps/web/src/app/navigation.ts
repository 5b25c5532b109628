import type { Permission } from '../auth';

export interface NavEntry {
  to: string;
  /** Its label's key under nav.* */
  key: string;
  permission?: Permission;
}

/** The signed-in app's pages by group: the navbar and the command palette list the same ones. */
export const NAV_GROUPS: { key: string; entries: NavEntry[] }[] = [
  {
    key: 'crm',
    entries: [
      { to: '/leads', key: 'leads', permission: 'leads:read' },
      { to: '/niches', key: 'niches', permission: 'leads:read' },
      { to: '/segments', key: 'segments', permission: 'leads:read' },
      { to: '/subscribers', key: 'subscribers', permission: 'leads:read' },
      { to: '/earnings', key: 'earnings', permission: 'leads:read' },
    ],
  },
  {
    key: 'marketing',
    entries: [
      { to: '/campaigns', key: 'campaigns', permission: 'campaigns:read' },
      { to: '/automation', key: 'automation', permission: 'campaigns:read' },
    ],
  },
  {
    key: 'ai',
    entries: [
      { to: '/chat', key: 'chat', permission: 'chat:use' },
      { to: '/content-ideas', key: 'contentIdeas', permission: 'chat:use' },
      { to: '/studio', key: 'studio', permission: 'content:read' },
      { to: '/agents', key: 'agents', permission: 'agents:read' },
      { to: '/inbox', key: 'inbox', permission: 'agents:read' },
      { to: '/auto-replies', key: 'autoReplies', permission: 'agents:read' },
    ],
  },
  {
    key: 'settings',
    entries: [
      { to: '/profile', key: 'profile' },
      { to: '/privacy', key: 'privacy' },
      { to: '/webhooks', key: 'webhooks', permission: 'settings:read' },
      { to: '/api-keys', key: 'apiKeys', permission: 'api-keys:manage' },
      { to: '/users', key: 'users', permission: 'users:read' },
      { to: '/billing', key: 'billing', permission: 'billing:manage' },
    ],
  },
  { key: 'community', entries: [{ to: '/forum', key: 'forum' }] },
];

/** "/content-ideas" → "nav-content-ideas": the navbar link's test id. */
export const navTestId = (to: string) => `nav-${to.slice(1)}`;

/**
 * What a page is asked to open when it is reached from the command palette ("New lead" opens the
 * leads page with its creation form): passed as the route's state, read by usePageIntent.
 */
export type PageIntent = 'create' | 'import';
