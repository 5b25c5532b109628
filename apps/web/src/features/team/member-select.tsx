import { Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import { FieldFrame } from '../../ui/fields';

/** Members offered at once: the first ones by name, or those matching what was typed. */
const SHOWN = 20;

/**
 * A workspace member (an owner, an assignee) picked by name or e-mail. What is typed is searched by the API
 * (GET /api/users?search=, debounced), so any member of a workspace of any size can be found, not only those
 * of a first page. '' is nobody.
 */
export function MemberSelect({
  label,
  name,
  value,
  onChange,
  error,
  placeholder,
  testId,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (id: string) => void;
  error?: unknown;
  placeholder: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [typed] = useDebouncedValue(search.trim(), 250);
  // The chosen member's name, to show it before any search has run (and whatever the results hold).
  const chosen = useQuery({
    queryKey: ['users', 'detail', value],
    queryFn: () => api.getUser(value),
    enabled: !!value,
    staleTime: 60_000,
  });
  // The field shows the chosen member's name: opening it lists everyone again, not that one name.
  const term = typed === chosen.data?.name ? '' : typed;
  const found = useQuery({
    queryKey: ['users', 'pick', term],
    queryFn: async () => (await api.listUsers({ search: term || undefined, sortBy: 'name', limit: SHOWN })).data,
    placeholderData: keepPreviousData,
  });
  const members = [...(found.data ?? [])];
  if (chosen.data && !members.some((m) => m.id === chosen.data.id)) members.unshift(chosen.data);
  const emails = new Map(members.map((m) => [m.id, m.email]));
  return (
    <FieldFrame label={label} name={name} error={error} hint={t('team.memberSearch')}>
      {(invalid) => (
        <Select
          size="md"
          searchable
          clearable
          name={name}
          data={members.map((m) => ({ value: m.id, label: m.name }))}
          value={value || null}
          onChange={(id) => onChange(id ?? '')}
          searchValue={search}
          onSearchChange={setSearch}
          // the API matched names and e-mails already: show what it found as it is
          filter={({ options }) => options}
          renderOption={({ option }) => (
            <Stack gap={0}>
              <Text size="sm">{option.label}</Text>
              <Text size="xs" className="muted">
                {emails.get(option.value)}
              </Text>
            </Stack>
          )}
          placeholder={placeholder}
          nothingFoundMessage={found.isFetching ? undefined : t('team.noMemberFound')}
          clearButtonProps={{ 'aria-label': t('team.clearMember', { field: label }) }}
          error={invalid || undefined}
          aria-invalid={invalid || undefined}
          data-testid={testId ?? name}
        />
      )}
    </FieldFrame>
  );
}
