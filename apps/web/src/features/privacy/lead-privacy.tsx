import { Badge, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { RecordSubjectConsentDto } from '@crescendo/api-client';
import { privacyApi, saveFile } from '../../api/privacy-endpoints';
import { useAuth } from '../../auth';
import { ConfirmButton, FormError, QueryView } from '../../components';

/**
 * Data-subject tools on a lead's page (by the lead's e-mail, across every feature of the workspace): export their
 * records, erase them, and record their consent to marketing e-mail and AI processing.
 */
export function LeadPrivacy({ email }: { email: string | null }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (!can('settings:read')) return null;
  return (
    <Card withBorder padding="lg" data-testid="lead-privacy">
      <Title order={2} size="h4" mb="xs">
        {t('subject.title')}
      </Title>
      {email ? (
        <Tools email={email} canWrite={can('settings:write')} />
      ) : (
        <Text c="dimmed">{t('subject.noEmail')}</Text>
      )}
    </Card>
  );
}

function Tools({ email, canWrite }: { email: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = ['subject-consent', email];
  const consent = useQuery({ queryKey: key, queryFn: () => privacyApi.getSubjectConsent(email) });
  const record = useMutation({
    mutationFn: (change: Omit<RecordSubjectConsentDto, 'email'>) =>
      privacyApi.recordSubjectConsent({ email, ...change }),
    onSuccess: (data) => {
      queryClient.setQueryData(key, data);
      notifications.show({ color: 'green', message: t('subject.consentSaved') });
    },
  });
  const exportData = useMutation({
    mutationFn: () => privacyApi.exportSubject(email),
    onSuccess: saveFile,
  });
  const erase = useMutation({
    mutationFn: () => privacyApi.eraseSubject(email),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['leads'] });
      notifications.show({ color: 'green', message: t('subject.erased') });
      navigate('/leads');
    },
  });
  return (
    <Stack gap="sm">
      <FormError error={record.error ?? exportData.error ?? erase.error} />
      <QueryView query={consent}>
        {(state) => (
          <Stack gap="xs">
            {(['marketingEmail', 'aiProcessing'] as const).map((purpose) => (
              <Switch
                key={purpose}
                label={t(`subject.${purpose}`)}
                description={state[purpose] === null ? t('subject.notRecorded') : undefined}
                checked={state[purpose] === true}
                disabled={!canWrite || record.isPending}
                onChange={(e) => record.mutate({ [purpose]: e.currentTarget.checked })}
                data-testid={`subject-${purpose}`}
              />
            ))}
            <Badge color={state.aiAllowed ? 'green' : 'gray'} variant="light" data-testid="subject-ai-status">
              {state.aiAllowed ? t('subject.aiAllowed') : t('subject.aiWithheld')}
            </Badge>
          </Stack>
        )}
      </QueryView>
      {canWrite && (
        <Group>
          <Button
            variant="default"
            onClick={() => exportData.mutate()}
            loading={exportData.isPending}
            data-testid="subject-export"
          >
            {t('subject.export')}
          </Button>
          <ConfirmButton
            label={t('subject.erase')}
            question={t('subject.eraseQuestion', { email })}
            onConfirm={() => erase.mutate()}
            disabled={erase.isPending}
            testId="subject-erase"
          />
        </Group>
      )}
    </Stack>
  );
}
