/**
 * Every route of the signed-in app (apps/web/src/main.tsx), detail routes included: the records those
 * need are made through the API as the signed-in user, and an open AI chat and fan inbox conversation. Shared by the phone-layout check (shell) and
 * the accessibility check (a11y), so a new page is checked by both once it is listed here.
 */
import type { Page } from 'playwright-core';
import { baseUrl, check, settled } from './harness';

export const LIST_ROUTES = [
  '/',
  '/profile',
  '/api-keys',
  '/users',
  '/billing',
  '/leads',
  '/niches',
  '/campaigns',
  '/subscribers',
  '/earnings',
  '/webhooks',
  '/chat',
  '/agents',
  '/auto-replies',
  '/inbox',
  '/content-ideas',
  '/segments',
  '/segments/new',
  '/automation',
  '/notifications',
  '/privacy',
  '/forum',
  '/studio',
];

/** A call to the API as the user signed in on `page` (its refresh cookie gives the access token); its JSON answer. */
async function call(page: Page, path: string, body: unknown): Promise<Record<string, unknown>> {
  const refreshed = await page.request.post(`${baseUrl}/api/auth/refresh`, { data: {} });
  check(refreshed.ok(), `refresh answered ${refreshed.status()}`);
  const { accessToken } = (await refreshed.json()) as { accessToken: string };
  const response = await page.request.post(`${baseUrl}${path}`, {
    data: body,
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  check(response.ok(), `POST ${path} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Creates a record through the API; its id. */
async function api(page: Page, path: string, body: unknown): Promise<{ id: string }> {
  const created = (await call(page, path, body)) as { id?: string; topicId?: string; data?: { id?: string } };
  // the marketing routes wrap the record in `data`; a forum topic answers its topicId
  const id = created.id ?? created.data?.id ?? created.topicId;
  check(id, `POST ${path} answered no id: ${JSON.stringify(created)}`);
  return { id };
}

/**
 * An AI chat conversation of two turns, each answered by two models side by side (the fake providers of
 * scripts/test-browser.sh), with a long unbroken word: what a phone has to fit.
 */
export async function seedChat(page: Page): Promise<string> {
  const providers = [{ provider: 'Alpha' }, { provider: 'Beta' }];
  const first = (await call(page, '/api/chat/send', {
    message: 'Plan a launch week for a fitness coaching newsletter, with one post a day',
    providers,
  })) as { conversation_id?: string };
  const id = first.conversation_id;
  check(id, `the chat answered no conversation_id: ${JSON.stringify(first)}`);
  await call(page, '/api/chat/send', {
    conversation_id: id,
    message: 'And a subject line for https://example.invalid/newsletters/launch-week-announcement-and-checklist',
    providers,
  });
  return id;
}

/** A fan inbox conversation: the fan writes twice, the creator answers once, with a long unbroken word. */
export async function seedInbox(page: Page): Promise<string> {
  const opened = (await call(page, '/api/chatbot/conversations', {
    direction: 'inbound',
    platform: 'onlyfans',
    fanHandle: 'midnight_marathon_runner_2026',
    fanName: 'Maximilienne Delacroix-Beauregard',
    body: 'Hi! Do you have a training plan for a first marathon? I saw https://example.invalid/plans/first-marathon-sixteen-weeks',
  })) as { data?: { conversation?: { id?: string } } };
  const id = opened.data?.conversation?.id;
  check(id, `the inbox answered no conversation: ${JSON.stringify(opened)}`);
  await call(page, '/api/chatbot/conversations', {
    conversationId: id,
    direction: 'outbound',
    body: 'Yes: sixteen weeks, four runs a week. I will send it tonight.',
  });
  await call(page, '/api/chatbot/conversations', {
    conversationId: id,
    direction: 'inbound',
    body: 'Thank you so much!',
  });
  return id;
}

/** Makes one record of each kind that has a detail page, then lists every route. */
export async function everyRoute(page: Page): Promise<string[]> {
  const rules = { combinator: 'and', rules: [{ field: 'status', operator: 'eq', value: 'new' }] };
  const niche = await api(page, '/api/niches', { name: 'Fitness coaching', keywords: ['fitness', 'coaching'] });
  const lead = await api(page, '/api/leads', {
    name: 'Rosalind Montgomery-Fairweather',
    email: 'rosalind.montgomery-fairweather@example.invalid',
    company: 'Exceptionally Long Company Name Incorporated',
    nicheId: niche.id,
    tags: ['vip', 'newsletter'],
  });
  const campaign = await api(page, '/api/campaigns', {
    name: 'Spring launch',
    type: 'email',
    budget: 1200,
    currency: 'EUR',
  });
  const segment = await api(page, '/api/marketing/segments', { name: 'New leads', rules });
  const subscriber = await api(page, '/api/onlyfans/subscribers', {
    handle: 'night_owl_fan',
    platform: 'onlyfans',
    monthlyPrice: 999,
  });
  const rule = await api(page, '/api/marketing/automation', {
    name: 'Tag new leads',
    status: 'paused',
    trigger: { type: 'lead.created' },
    actions: [{ type: 'add_tag', tag: 'welcome' }],
  });
  const topic = await api(page, '/api/forum/topics', {
    category: 'general',
    title: 'How do you plan a launch week?',
    content: 'A checklist with **three** steps.',
  });
  const chat = await seedChat(page);
  const inbox = await seedInbox(page);
  return [
    ...LIST_ROUTES,
    `/chat?conversation=${chat}`,
    `/inbox?conversation=${inbox}`,
    `/leads/${lead.id}`,
    `/niches/${niche.id}`,
    `/campaigns/${campaign.id}`,
    `/segments/${segment.id}`,
    `/subscribers/${subscriber.id}`,
    `/automation/${rule.id}`,
    `/forum/${topic.id}`,
  ];
}

/** Opens `route` and waits until its heading and its data show; a failure names the route. */
export async function openRoute(page: Page, route: string): Promise<void> {
  try {
    await page.goto(`${baseUrl}/#${route}`);
    await page.locator('main h1').first().waitFor();
    await settled(page);
  } catch (error) {
    throw new Error(`${route}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
