import { useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ManagementSettingsDto, UpdateManagementSettingsDto } from '@crescendo/api-client';
import { api } from '../api/endpoints';
import { i18n, setLanguage, toLanguage } from '../i18n';

export const SETTINGS_KEY = ['management-settings'] as const;
const DENSITY_KEY = 'crescendo.density';

const schemeOf = (theme: ManagementSettingsDto['theme']): MantineColorScheme => (theme === 'system' ? 'auto' : theme);

/** Compact density: a data attribute on <html> that the table and list styles read. */
export function applyDensity(compact: boolean): void {
  document.documentElement.dataset.density = compact ? 'compact' : 'comfortable';
  try {
    localStorage.setItem(DENSITY_KEY, compact ? 'compact' : 'comfortable');
  } catch {
    // storage may be disabled
  }
}

/** The density of the last session on this browser, before the settings load. */
export function restoreDensity(): void {
  try {
    document.documentElement.dataset.density = localStorage.getItem(DENSITY_KEY) ?? 'comfortable';
  } catch {
    document.documentElement.dataset.density = 'comfortable';
  }
}

/**
 * Applies the signed-in user's saved preferences: colour scheme (light, dark or the system's),
 * language and table density. Mantine keeps the scheme in localStorage, so a reload starts with it.
 */
export function PreferencesSync() {
  const { setColorScheme } = useMantineColorScheme();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: api.getManagementSettings, retry: false });
  const data = settings.data;
  useEffect(() => {
    if (!data) return;
    setColorScheme(schemeOf(data.theme));
    setLanguage(data.language);
    applyDensity(data.compactMode);
  }, [data, setColorScheme]);
  return null;
}

/**
 * Saves some of the user's preferences (the profile form, the command palette). The toast speaks the language
 * just saved: the shared "Changes saved" toast would be written before the new language applies.
 */
export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { toast: false },
    mutationFn: (changes: UpdateManagementSettingsDto) => api.updateManagementSettings(changes),
    onSuccess: (saved) => {
      queryClient.setQueryData(SETTINGS_KEY, saved);
      notifications.show({
        color: 'green',
        message: i18n.t('profile.preferencesSaved', { lng: toLanguage(saved.language) }),
      });
    },
    onError: () => notifications.show({ color: 'red', message: i18n.t('toast.saveFailed') }),
  });
}
