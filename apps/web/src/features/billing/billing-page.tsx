import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type {
  InvoiceResponseDto,
  MessagePackDto,
  PlanDto,
  SubscriptionResponseDto,
  UsageDto,
} from '@crescendo/api-client';
import { billingApi } from '../../api/billing-endpoints';
import { FormError, Loading, formatMoney, formatNumber } from '../../components';

type Cycle = 'monthly' | 'yearly';
const SUBSCRIBED = new Set(['active', 'trialing', 'past_due']);
const SUBSCRIPTION_KEY = ['billing', 'subscription'] as const;

/** Leaves the SPA for a Stripe page (Checkout or the Customer Portal). */
const goTo = (url: string) => window.location.assign(url);

/**
 * The workspace's plan, its usage against every limit, the plans to move to (Checkout), message packs,
 * invoices, and the Customer Portal. Back from Checkout (`?session_id=`), it waits for Stripe's webhook to
 * put the workspace on the plan it paid for.
 */
export function BillingPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const sessionId = params.get('session_id');
  const cancelled = params.get('checkout') === 'cancelled';
  const session = useQuery({
    queryKey: ['billing', 'session', sessionId],
    queryFn: () => billingApi.sessionInfo(sessionId as string),
    enabled: !!sessionId,
  });
  const awaitedPlan = session.data?.status === 'complete' ? session.data.planId : null;
  const subscription = useQuery({
    queryKey: SUBSCRIPTION_KEY,
    queryFn: billingApi.subscription,
    // Back from Checkout, the webhook may land a moment after the redirect: ask again until the plan shows.
    refetchInterval: (query) => (awaitedPlan && query.state.data?.plan !== awaitedPlan ? 2000 : false),
  });
  const plans = useQuery({ queryKey: ['billing', 'plans'], queryFn: billingApi.plans, staleTime: 10 * 60_000 });
  const activating = !!awaitedPlan && subscription.data?.plan !== awaitedPlan;

  return (
    <section data-testid="billing-page">
      <header className="page-header">
        <div>
          <h1>{t('billing.title')}</h1>
          <p className="muted">{t('billing.subtitle')}</p>
        </div>
      </header>
      <Stack gap="lg">
        {cancelled && (
          <Alert color="gray" data-testid="billing-cancelled">
            {t('billing.checkoutCancelled')}
          </Alert>
        )}
        {session.isError && <FormError error={session.error} testId="billing-session-error" />}
        {activating && (
          <Alert color="blue" data-testid="billing-activating">
            {t('billing.activating')}
          </Alert>
        )}
        {awaitedPlan && !activating && (
          <Alert color="green" data-testid="billing-activated">
            {t('billing.activated', { plan: subscription.data?.planName })}
          </Alert>
        )}
        {subscription.isPending ? (
          <Loading />
        ) : subscription.isError ? (
          <FormError error={subscription.error} />
        ) : (
          <CurrentPlan subscription={subscription.data} />
        )}
        {plans.isPending ? (
          <Loading />
        ) : plans.isError ? (
          <FormError error={plans.error} />
        ) : (
          <>
            <PlanCards plans={plans.data.plans} subscription={subscription.data} />
            <MessagePacks packs={plans.data.messagePacks} balance={subscription.data?.creditsBalance} />
          </>
        )}
        <Invoices />
      </Stack>
    </section>
  );
}

function CurrentPlan({ subscription }: { subscription: SubscriptionResponseDto }) {
  const { t } = useTranslation();
  const portal = useMutation({ mutationFn: billingApi.portal, onSuccess: ({ url }) => goTo(url) });
  const renewal = subscription.currentPeriodEnd ? new Date(subscription.currentPeriodEnd).toLocaleDateString() : null;
  return (
    <Card withBorder radius="md" padding="lg" data-testid="billing-current">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('billing.currentPlan')}
          </Text>
          <Group gap="xs">
            <Title order={2} data-testid="billing-current-plan">
              {subscription.planName}
            </Title>
            {subscription.status !== 'none' && (
              <Badge color={statusColor(subscription.status)} variant="light" data-testid="billing-status">
                {t(`billing.status.${statusKey(subscription.status)}`)}
              </Badge>
            )}
          </Group>
          {renewal && (
            <Text size="sm" data-testid="billing-renewal">
              {subscription.cancelAtPeriodEnd
                ? t('billing.endsOn', { date: renewal })
                : t('billing.renewsOn', {
                    date: renewal,
                    cycle: t(`billing.cycle.${subscription.billingCycle === 'yearly' ? 'yearly' : 'monthly'}`),
                  })}
            </Text>
          )}
          <Text size="sm" c="dimmed" data-testid="billing-credits">
            {t('billing.creditsBalance', { count: subscription.creditsBalance })}
          </Text>
        </Stack>
        <Stack gap={4} align="flex-end">
          <Button
            variant="default"
            onClick={() => portal.mutate()}
            loading={portal.isPending}
            data-testid="billing-portal"
          >
            {t('billing.manage')}
          </Button>
          <FormError error={portal.error} testId="billing-portal-error" />
        </Stack>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" mt="lg">
        {subscription.usage.map((usage) => (
          <UsageBar key={usage.limit} usage={usage} />
        ))}
      </SimpleGrid>
    </Card>
  );
}

function UsageBar({ usage }: { usage: UsageDto }) {
  const { t } = useTranslation();
  const unit = (n: number) => (usage.limit === 'storageMb' ? formatStorage(n) : formatNumber(n));
  const ratio = usage.allowed ? usage.used / usage.allowed : 0;
  return (
    <Stack gap={4} data-testid={`billing-usage-${usage.limit}`}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={500}>
          {t(`billing.limit.${usage.limit}`)}
        </Text>
        <Text size="sm" c="dimmed" ta="right">
          {usage.allowed === null
            ? t('billing.usedUnlimited', { used: unit(usage.used) })
            : t('billing.usedOf', { used: unit(usage.used), allowed: unit(usage.allowed) })}
        </Text>
      </Group>
      <Progress
        value={usage.allowed === null ? 0 : Math.min(100, ratio * 100)}
        color={ratio >= 1 ? 'red' : ratio >= 0.8 ? 'orange' : 'violet'}
        aria-label={t(`billing.limit.${usage.limit}`)}
      />
    </Stack>
  );
}

function PlanCards({ plans, subscription }: { plans: PlanDto[]; subscription?: SubscriptionResponseDto }) {
  const { t } = useTranslation();
  const [cycle, setCycle] = useState<Cycle>(subscription?.billingCycle === 'yearly' ? 'yearly' : 'monthly');
  const subscribed = !!subscription && SUBSCRIBED.has(subscription.status) && subscription.plan !== 'free';
  const checkout = useMutation({
    mutationFn: (planId: string) => billingApi.checkout({ planId, billingCycle: cycle }),
    onSuccess: ({ url }) => goTo(url),
  });
  // A workspace already subscribed changes plan in the Customer Portal (a second Checkout would bill twice).
  const portal = useMutation({ mutationFn: billingApi.portal, onSuccess: ({ url }) => goTo(url) });
  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('billing.plans')}</Title>
        <SegmentedControl
          value={cycle}
          onChange={(value) => setCycle(value as Cycle)}
          data={[
            { value: 'monthly', label: t('billing.cycle.monthly') },
            { value: 'yearly', label: t('billing.cycle.yearly') },
          ]}
          aria-label={t('billing.cycleLabel')}
          data-testid="billing-cycle"
        />
      </Group>
      <FormError error={checkout.error ?? portal.error} testId="billing-checkout-error" />
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md">
        {plans.map((plan) => {
          const price = plan.prices[cycle];
          const current = subscription?.plan === plan.id;
          return (
            <Card
              key={plan.id}
              withBorder
              radius="md"
              padding="lg"
              className={current ? 'plan-card current' : 'plan-card'}
              data-testid={`billing-plan-${plan.id}`}
            >
              <Stack gap="xs" h="100%">
                <Group justify="space-between" wrap="nowrap">
                  <Title order={3}>{plan.name}</Title>
                  {current && (
                    <Badge variant="filled" data-testid="billing-plan-current">
                      {t('billing.current')}
                    </Badge>
                  )}
                </Group>
                <Text size="xl" fw={700} data-testid={`billing-price-${plan.id}`}>
                  {price
                    ? t(`billing.per.${cycle}`, { price: formatMoney(price.amount, price.currency) })
                    : Object.keys(plan.prices).length === 0
                      ? t('billing.free')
                      : '—'}
                </Text>
                <Stack gap={2} style={{ flexGrow: 1 }}>
                  {(['aiGenerationsPerMonth', 'seats', 'agents', 'storageMb'] as const).map((limit) => (
                    <Text size="sm" key={limit}>
                      {limitText(t, limit, plan.limits[limit])}
                    </Text>
                  ))}
                </Stack>
                {!current && price && (
                  <Button
                    fullWidth
                    mt="sm"
                    loading={checkout.isPending && checkout.variables === plan.id}
                    onClick={() => (subscribed ? portal.mutate() : checkout.mutate(plan.id))}
                    data-testid={`billing-upgrade-${plan.id}`}
                  >
                    {subscribed ? t('billing.change') : t('billing.upgrade')}
                  </Button>
                )}
              </Stack>
            </Card>
          );
        })}
      </SimpleGrid>
    </Stack>
  );
}

function MessagePacks({ packs, balance }: { packs: MessagePackDto[]; balance?: number }) {
  const { t } = useTranslation();
  const buy = useMutation({ mutationFn: billingApi.buyPack, onSuccess: ({ url }) => goTo(url) });
  if (packs.length === 0) return null;
  return (
    <Stack gap="sm">
      <Title order={2}>{t('billing.packs')}</Title>
      <Text size="sm" c="dimmed">
        {t('billing.packsHint', { count: balance ?? 0 })}
      </Text>
      <FormError error={buy.error} testId="billing-pack-error" />
      <SimpleGrid cols={{ base: 1, xs: 2, lg: 4 }} spacing="md">
        {packs.map((pack) => (
          <Card key={pack.id} withBorder radius="md" padding="md" data-testid={`billing-pack-${pack.id}`}>
            <Stack gap="xs">
              <Text fw={600}>{pack.name}</Text>
              <Text size="sm" c="dimmed">
                {t('billing.packUnit', { price: formatMoney(pack.price.amount / pack.credits, pack.price.currency) })}
              </Text>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={700}>{formatMoney(pack.price.amount, pack.price.currency)}</Text>
                <Button
                  size="xs"
                  variant="light"
                  loading={buy.isPending && buy.variables === pack.id}
                  onClick={() => buy.mutate(pack.id)}
                  data-testid={`billing-buy-${pack.id}`}
                >
                  {t('billing.buy')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function Invoices() {
  const { t } = useTranslation();
  const invoices = useQuery({ queryKey: ['billing', 'invoices'], queryFn: billingApi.invoices });
  return (
    <Stack gap="sm">
      <Title order={2}>{t('billing.invoices')}</Title>
      {invoices.isPending ? (
        <Loading />
      ) : invoices.isError ? (
        <FormError error={invoices.error} />
      ) : invoices.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="billing-invoices-empty">
          {t('billing.noInvoices')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped data-testid="billing-invoices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.invoiceNumber')}</Table.Th>
                <Table.Th>{t('billing.invoiceDate')}</Table.Th>
                <Table.Th>{t('billing.invoiceAmount')}</Table.Th>
                <Table.Th>{t('billing.invoiceStatus')}</Table.Th>
                <Table.Th>{t('billing.invoiceLinks')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoices.data.map((invoice) => (
                <InvoiceRow key={invoice.id} invoice={invoice} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function InvoiceRow({ invoice }: { invoice: InvoiceResponseDto }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid={`billing-invoice-${invoice.stripeInvoiceId}`}>
      <Table.Td>{invoice.number ?? '—'}</Table.Td>
      <Table.Td>{new Date(invoice.issuedAt).toLocaleDateString()}</Table.Td>
      <Table.Td>
        {formatMoney(invoice.status === 'paid' ? invoice.amountPaid : invoice.amountDue, invoice.currency)}
      </Table.Td>
      <Table.Td>
        <Badge
          variant="light"
          color={invoice.status === 'paid' ? 'green' : invoice.status === 'open' ? 'orange' : 'gray'}
        >
          {invoice.status}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Group gap="sm" wrap="nowrap">
          {invoice.hostedInvoiceUrl && (
            <Anchor href={invoice.hostedInvoiceUrl} target="_blank" rel="noopener noreferrer" size="sm">
              {t('billing.viewInvoice')}
            </Anchor>
          )}
          {invoice.invoicePdf && (
            <Anchor href={invoice.invoicePdf} target="_blank" rel="noopener noreferrer" size="sm">
              {t('billing.invoicePdf')}
            </Anchor>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

type Translate = ReturnType<typeof useTranslation>['t'];

function limitText(t: Translate, limit: UsageDto['limit'], value: number | null): string {
  if (value === null) return t(`billing.planLimit.${limit}Unlimited`);
  return t(`billing.planLimit.${limit}`, {
    count: value,
    value: limit === 'storageMb' ? formatStorage(value) : formatNumber(value),
  });
}

const formatStorage = (mb: number) => (mb >= 1024 ? `${formatNumber(mb / 1024, mb % 1024 ? 1 : 0)} GB` : `${mb} MB`);

const STATUS_KEYS = ['active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid'] as const;
const statusKey = (status: string) =>
  (STATUS_KEYS as readonly string[]).includes(status) ? (status as (typeof STATUS_KEYS)[number]) : 'other';
const statusColor = (status: string) =>
  status === 'active' || status === 'trialing'
    ? 'green'
    : status === 'past_due' || status === 'unpaid'
      ? 'orange'
      : 'gray';
