import { Button, Card, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateConsentDto } from '@crescendo/api-client';
import { privacyApi, saveFile } from '../../api/privacy-endpoints';
import { useAuth } from '../../auth';
import { FormError, QueryView, formatDate } from '../../components';

const CONSENT_KEY = ['privacy', 'consent'] as const;
const HISTORY_KEY = ['privacy', 'consent-history'] as const;
const PHRASE = 'DELETE_MY_DATA';
const PURPOSES = ['necessary', 'analytics', 'marketing', 'preferences'] as const;

/** The caller's own privacy: download their data, consent per purpose with its history, erase the account. */
export function PrivacyPage() {
  const { t } = useTranslation();
  return (
    <section>
      <header className="page-header">
        <div>
          <h1>{t('privacy.title')}</h1>
          <p className="muted">{t('privacy.intro')}</p>
        </div>
      </header>
      <Stack gap="md">
        <DownloadCard />
        <ConsentCard />
        <DeleteAccountCard />
      </Stack>
    </section>
  );
}

function DownloadCard() {
  const { t } = useTranslation();
  const download = useMutation({
    mutationFn: privacyApi.exportMyData,
    onSuccess: (file) => {
      saveFile(file);
      notifications.show({ color: 'green', message: t('privacy.downloaded') });
    },
  });
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h3">
        {t('privacy.yourData')}
      </Title>
      <Text c="dimmed" size="sm" my="xs">
        {t('privacy.yourDataHint')}
      </Text>
      <FormError error={download.error} />
      <Button onClick={() => download.mutate()} loading={download.isPending} data-testid="privacy-download">
        {download.isPending ? t('privacy.downloading') : t('privacy.download')}
      </Button>
    </Card>
  );
}

function ConsentCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const consent = useQuery({ queryKey: CONSENT_KEY, queryFn: privacyApi.getConsent });
  const history = useQuery({ queryKey: HISTORY_KEY, queryFn: privacyApi.getConsentHistory });
  const change = useMutation({
    mutationFn: (choice: UpdateConsentDto) => privacyApi.updateConsent(choice),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['privacy'] });
      notifications.show({ color: 'green', message: t('privacy.consentSaved') });
    },
  });
  return (
    <Card withBorder padding="lg">
      <Title order={2} size="h3">
        {t('privacy.consent')}
      </Title>
      <Text c="dimmed" size="sm" my="xs">
        {t('privacy.consentHint')}
      </Text>
      <FormError error={change.error} />
      <QueryView query={consent}>
        {(data) => (
          <Stack gap="sm" data-testid="consent-toggles">
            {PURPOSES.map((purpose) => (
              <Switch
                key={purpose}
                label={t(`privacy.${purpose}`)}
                description={t(`privacy.${purpose}Hint`)}
                checked={data.consent[purpose]}
                disabled={purpose === 'necessary' || change.isPending}
                onChange={(e) => change.mutate({ [purpose]: e.currentTarget.checked })}
                data-testid={`consent-${purpose}`}
              />
            ))}
          </Stack>
        )}
      </QueryView>
      <Title order={3} size="h5" mt="md">
        {t('privacy.history')}
      </Title>
      <QueryView query={history} empty={t('privacy.noHistory')} emptyTestId="consent-history-empty">
        {(page) => (
          <Table data-testid="consent-history">
            <Table.Tbody>
              {page.data.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{t(`privacy.${r.purpose}`)}</Table.Td>
                  <Table.Td>{r.granted ? t('privacy.granted') : t('privacy.withdrawn')}</Table.Td>
                  <Table.Td>{t('privacy.policy', { version: r.policyVersion })}</Table.Td>
                  <Table.Td>{formatDate(r.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryView>
    </Card>
  );
}

function DeleteAccountCard() {
  const { t } = useTranslation();
  const { signOut } = useAuth();
  const [phrase, setPhrase] = useState('');
  const erase = useMutation({
    mutationFn: () => privacyApi.deleteMyData(phrase),
    onSuccess: async () => {
      notifications.show({ color: 'green', message: t('privacy.deleted') });
      // The session no longer exists on the server: drop it here (and in the other tabs).
      await signOut();
    },
  });
  return (
    <Card withBorder padding="lg" className="danger-zone">
      <Title order={2} size="h3" c="red">
        {t('privacy.deleteAccount')}
      </Title>
      <Text c="dimmed" size="sm" my="xs">
        {t('privacy.deleteHint')}
      </Text>
      <FormError error={erase.error} />
      <Group align="end">
        <TextInput
          label={t('privacy.typePhrase', { phrase: PHRASE })}
          value={phrase}
          onChange={(e) => setPhrase(e.currentTarget.value)}
          autoComplete="off"
          data-testid="delete-phrase"
        />
        <Button
          color="red"
          disabled={phrase !== PHRASE}
          loading={erase.isPending}
          onClick={() => erase.mutate()}
          data-testid="delete-account"
        >
          {t('privacy.deleteForever')}
        </Button>
      </Group>
    </Card>
  );
}
