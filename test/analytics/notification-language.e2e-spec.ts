import { randomUUID } from 'node:crypto';
import { NotificationsService } from '@crescendo/analytics';
import { useAppWithWorker } from '../helpers/app-with-worker';
import { addMember, signUp, TestUser } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

type Note = { kind: string; message: string; time: string };

/**
 * Notification texts are written in the reader's language when read: the language the member chose in their
 * preferences (PUT /api/management/settings), else the workspace's default. One notification, two readers.
 */
describe('notifications in the reader’s language', () => {
  const { t, eventsDrained } = useAppWithWorker();

  const dashboard = async (user: TestUser) =>
    (await t.http().get('/api/dashboard/notifications').set(user.auth).expect(200)).body.notifications as Note[];
  const listed = async (user: TestUser) =>
    (await t.http().get('/api/notifications').query({ limit: 100 }).set(user.auth).expect(200)).body.data as Note[];
  const byKind = (notes: Note[]) => Object.fromEntries(notes.map((n) => [n.kind, n.message]));
  const chooseLanguage = (user: TestUser, language: string) =>
    t.http().put('/api/management/settings').set(user.auth).send({ language }).expect(200);

  it('import finished, AI quota reached and payment failed: French for a French reader, English for an English one', async () => {
    const owner = await signUp(t);
    const french = await addMember(t, owner, 'viewer');
    await chooseLanguage(french, 'fr');

    // Import finished: through the import job and the worker's feeder.
    await t
      .http()
      .post('/api/leads/import')
      .set(owner.auth)
      .attach(
        'file',
        Buffer.from('name,email\nAda Lovelace,ada@example.org\nGrace Hopper,grace@example.org\n'),
        'leads.csv',
      )
      .expect(202);
    await waitFor('the import notification', async () =>
      (await listed(owner)).some((n) => n.kind === 'import.completed') ? true : undefined,
    );
    await eventsDrained();
    // Quota reached and payment failed: as the AI quota's feeder and billing hand them to the service.
    const notifications = t.app.get(NotificationsService);
    await notifications.notify({
      workspaceId: owner.workspaceId,
      eventId: randomUUID(),
      kind: 'ai.quota_reached',
      level: 'error',
      params: { percent: 100, used: 5, limit: 5, resetAt: '2027-01-01T00:00:00.000Z' },
      data: { percent: 100 },
    });
    await notifications.notify({
      workspaceId: owner.workspaceId,
      eventId: randomUUID(),
      kind: 'billing.payment_failed',
      level: 'error',
      params: { amount: 3900, currency: 'eur' },
      data: {},
    });

    const english = {
      'import.completed': 'Import finished: 2 created, 0 updated, 0 skipped, 0 failed',
      'ai.quota_reached': 'The monthly AI generation quota (5) is used up; it resets on 2027-01-01',
      'billing.payment_failed': 'The payment of €39.00 failed: update your payment method to keep your plan',
    };
    const frenchTexts = {
      'import.completed': 'Import terminé : 2 créés, 0 mis à jour, 0 ignorés, 0 en échec',
      'ai.quota_reached': 'Le quota mensuel de générations IA (5) est épuisé ; il repart le 2027-01-01',
      'billing.payment_failed':
        'Le paiement de 39,00\u00a0€ a échoué : mettez à jour votre moyen de paiement pour garder votre offre',
    };
    expect(byKind(await dashboard(owner))).toEqual(english);
    expect(byKind(await listed(owner))).toEqual(english);
    expect(byKind(await dashboard(french))).toEqual(frenchTexts);
    expect(byKind(await listed(french))).toEqual(frenchTexts);
    // The age too: "Il y a …" / "… ago" (or now, the same second).
    for (const note of await dashboard(french)) expect(note.time).toMatch(/^(Il y a .+|Maintenant)$/);
    for (const note of await dashboard(owner)) expect(note.time).toMatch(/^(.+ ago|Now)$/);

    // Stored once (kind and parameters), read in the language chosen now.
    await chooseLanguage(owner, 'fr-FR');
    expect(byKind(await dashboard(owner))).toEqual(frenchTexts);
    await chooseLanguage(french, 'en');
    expect(byKind(await listed(french))).toEqual(english);
  });

  it('a member who chose no language reads the workspace’s default; an API key too', async () => {
    const owner = await signUp(t);
    await t.http().put('/api/settings/general').set(owner.auth).send({ defaultLanguage: 'fr' }).expect(200);
    await t.app.get(NotificationsService).notify({
      workspaceId: owner.workspaceId,
      eventId: randomUUID(),
      kind: 'billing.plan_changed',
      level: 'info',
      params: { plan: 'Viral' },
      data: {},
    });
    expect(byKind(await dashboard(owner))).toEqual({
      'billing.plan_changed': 'Votre espace de travail est maintenant sur l’offre Viral',
    });
    const key = await t
      .http()
      .post('/api/security/api-keys')
      .set(owner.auth)
      .send({ name: 'reader', scopes: ['analytics:read'] })
      .expect(201);
    const viaKey = await t.http().get('/api/notifications').set('X-API-Key', key.body.key).expect(200);
    expect(byKind(viaKey.body.data)).toEqual({
      'billing.plan_changed': 'Votre espace de travail est maintenant sur l’offre Viral',
    });
    // What the table keeps for anything reading it directly: the English text beside the kind and parameters.
    const [row] = await t.db.query('SELECT message, params FROM notifications WHERE workspace_id = $1', [
      owner.workspaceId,
    ]);
    expect(row).toEqual({ message: 'Your workspace is now on the Viral plan', params: { plan: 'Viral' } });
  });
});
