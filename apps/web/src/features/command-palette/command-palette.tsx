import { Kbd, UnstyledButton } from '@mantine/core';
import { Spotlight, spotlight, type SpotlightActionData, type SpotlightActionGroupData } from '@mantine/spotlight';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/endpoints';
import { NAV_GROUPS, type PageIntent } from '../../app/navigation';
import { useSavePreferences } from '../../app/preferences';
import { useAuth, type Permission } from '../../auth';
import { useDebounced } from '../../components';
import { keyName, modKey, shortcutHelp } from '../shortcuts/shortcut-help';

interface QuickAction {
  id: string;
  to: string;
  intent?: PageIntent;
  permission: Permission;
}

/** Common actions: a page opened with its form (see usePageIntent), or a page whose purpose is the action. */
const QUICK_ACTIONS: QuickAction[] = [
  { id: 'newLead', to: '/leads', intent: 'create', permission: 'leads:write' },
  { id: 'importLeads', to: '/leads', intent: 'import', permission: 'leads:write' },
  { id: 'newCampaign', to: '/campaigns', intent: 'create', permission: 'campaigns:write' },
  { id: 'newSegment', to: '/segments/new', permission: 'leads:write' },
  { id: 'newAutomation', to: '/automation', intent: 'create', permission: 'campaigns:write' },
  { id: 'newAgent', to: '/agents', intent: 'create', permission: 'agents:write' },
  { id: 'newChat', to: '/chat', permission: 'chat:use' },
  { id: 'inviteTeammate', to: '/users', permission: 'admin:users' },
];

/** An action with a test id on its button (the type does not list data attributes; Mantine passes them on). */
const withTestId = (testId: string, action: SpotlightActionData): SpotlightActionData =>
  ({ ...action, 'data-testid': testId }) as SpotlightActionData;

/** The header's button that opens the palette (and tells its shortcut). */
export function PaletteButton() {
  const { t } = useTranslation();
  return (
    <UnstyledButton className="palette-button" onClick={() => spotlight.open()} data-testid="palette-open">
      <span>{t('palette.open')}</span>
      <Kbd size="xs" visibleFrom="sm">
        {keyName(modKey())} K
      </Kbd>
    </UnstyledButton>
  );
}

/** Ctrl/Cmd+K: jump to any page or lead, run a common action, switch theme or language. */
export function CommandPalette() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { can, signOut } = useAuth();
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim(), 250);
  const leads = useQuery({
    queryKey: ['palette', 'leads', search],
    queryFn: () => api.listLeads({ q: search, limit: 5 }),
    enabled: search.length >= 2 && can('leads:read'),
  });
  const savePreference = useSavePreferences();

  const go = (to: string, intent?: PageIntent) => {
    // closed explicitly: the lead results change under the palette as it navigates
    spotlight.close();
    navigate(to, intent ? { state: { intent } } : undefined);
  };
  const pages: SpotlightActionData[] = [
    withTestId('palette-page-home', { id: 'page-home', label: t('nav.home'), onClick: () => go('/') }),
    ...NAV_GROUPS.flatMap((group) =>
      group.entries
        .filter((e) => !e.permission || can(e.permission))
        .map((e) =>
          withTestId(`palette-page-${e.to.slice(1)}`, {
            id: `page-${e.key}`,
            label: t(`nav.${e.key}`),
            description: t(`nav.${group.key}`),
            onClick: () => go(e.to),
          }),
        ),
    ),
  ];
  const actions = QUICK_ACTIONS.filter((a) => can(a.permission)).map((a) =>
    withTestId(`palette-action-${a.id}`, { id: a.id, label: t(`palette.${a.id}`), onClick: () => go(a.to, a.intent) }),
  );
  const preferences: SpotlightActionData[] = [
    { id: 'dark', label: t('palette.dark'), onClick: () => savePreference.mutate({ theme: 'dark' }) },
    { id: 'light', label: t('palette.light'), onClick: () => savePreference.mutate({ theme: 'light' }) },
    { id: 'fr', label: t('palette.french'), onClick: () => savePreference.mutate({ language: 'fr' }) },
    { id: 'en', label: t('palette.english'), onClick: () => savePreference.mutate({ language: 'en' }) },
    {
      id: 'shortcuts',
      label: t('shortcuts.title'),
      onClick: () => {
        spotlight.close();
        shortcutHelp.open();
      },
    },
    { id: 'signOut', label: t('app.signOut'), onClick: () => void signOut() },
  ].map((a) => withTestId(`palette-action-${a.id}`, a));
  const groups: SpotlightActionGroupData[] = [
    { group: t('palette.actions'), actions },
    { group: t('palette.pages'), actions: pages },
    { group: t('palette.preferences'), actions: preferences },
  ];
  const found = (search.length >= 2 && leads.data?.data) || [];
  if (found.length > 0) {
    groups.unshift({
      group: t('nav.leads'),
      actions: found.map((lead) =>
        withTestId('palette-lead', {
          id: `lead-${lead.id}`,
          label: lead.name,
          description: lead.email ?? undefined,
          // the server matched them already: keep them whatever the local filter thinks
          keywords: [query],
          onClick: () => go(`/leads/${lead.id}`),
        }),
      ),
    });
  }

  return (
    <Spotlight
      actions={groups}
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      // the shortcut works from a text field too
      tagsToIgnore={[]}
      nothingFound={t('palette.nothing')}
      highlightQuery
      scrollable
      maxHeight={420}
      searchProps={{ placeholder: t('palette.placeholder'), 'aria-label': t('palette.placeholder') }}
      data-testid="palette"
    />
  );
}
